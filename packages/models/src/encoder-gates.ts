// Encoder gate inspection for the RNN lab: a shipped translator's first encoder LSTM (forward
// direction) reading a sentence, with its gates, cell and hidden state per source token.
import { gatesOverTokens } from '@seqlab/lab';
import type { LSTMGateRecord } from '@seqlab/rnn';
import { BpeTokenizer } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { httpSource, type ModelSource, readJson, sourceHandler } from './source';
import type { TokenizerFile } from './translator';

/** The tensors read from the translator's weights (everything else is dropped at load). */
const NAMES = {
  embedding: 'encoder/embedding',
  kernel: 'encoder/layer0/fwd/kernel',
  recurrentKernel: 'encoder/layer0/fwd/recurrent_kernel',
  bias: 'encoder/layer0/fwd/bias',
} as const;

/**
 * The first encoder layer of a translation model, for looking inside it.
 * @example
 * const enc = await loadEncoderGates(httpSource('/models/translate-en-es'));
 * const { tokens, record } = enc.gates('Open the file'); // record.forget[step][0][unit]
 * enc.dispose();
 */
export class EncoderGatesPipeline {
  private disposed = false;

  constructor(
    private readonly tokenizer: BpeTokenizer,
    private readonly w: Record<keyof typeof NAMES, tf.Tensor>,
  ) {}

  /** LSTM units of the layer. */
  get units(): number {
    return this.w.recurrentKernel.shape[0] as number;
  }

  /** Source tokens of `text` (at most 60) and the layer's values per token. */
  gates(text: string): { tokens: string[]; record: LSTMGateRecord } {
    if (this.disposed) throw new Error('EncoderGates: used after dispose(); load the model again');
    if (typeof text !== 'string' || text.trim().length === 0) {
      throw new Error(`gates: expected a non-empty string, got ${JSON.stringify(text)}`);
    }
    const ids = this.tokenizer.encode(text.trim()).slice(0, 60);
    const record = gatesOverTokens(
      this.w.embedding as tf.Tensor2D,
      {
        kernel: this.w.kernel as tf.Tensor2D,
        recurrentKernel: this.w.recurrentKernel as tf.Tensor2D,
        bias: this.w.bias as tf.Tensor1D,
      },
      ids,
    );
    return { tokens: ids.map((i) => this.tokenizer.piece(i)), record };
  }

  dispose(): void {
    if (this.disposed) return;
    tf.dispose(Object.values(this.w));
    this.disposed = true;
  }
}

/** Loads a translation model folder's tokenizer and first encoder layer (from a source or a URL). */
export async function loadEncoderGates(from: ModelSource | string): Promise<EncoderGatesPipeline> {
  const src = typeof from === 'string' ? httpSource(from) : from;
  const handler = sourceHandler(src);
  if (!handler.load) throw new Error('unreachable: sourceHandler always reads');
  const artifacts = await handler.load();
  if (!artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error(`${src.location}/model.json: expected weights, found none`);
  }
  const all = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  const w = {} as Record<keyof typeof NAMES, tf.Tensor>;
  const missing: string[] = [];
  for (const [key, name] of Object.entries(NAMES) as [keyof typeof NAMES, string][]) {
    const t = all[name];
    if (t) w[key] = t;
    else missing.push(name);
  }
  tf.dispose(
    Object.entries(all)
      .filter(([name]) => !Object.values(NAMES).includes(name as never))
      .map(([, t]) => t),
  );
  try {
    if (missing.length > 0) {
      throw new Error(
        `${src.location}/model.json: expected encoder weights ${missing.join(', ')}; is it a translation model?`,
      );
    }
    const tj = (await readJson(src, 'tokenizer.json')) as TokenizerFile;
    const tokenizer = BpeTokenizer.fromJSON(tj.source);
    if (tokenizer.vocabSize !== w.embedding.shape[0]) {
      throw new Error(
        `${src.location}/tokenizer.json: ${tokenizer.vocabSize} tokens, the encoder embeds ${w.embedding.shape[0]}`,
      );
    }
    return new EncoderGatesPipeline(tokenizer, w);
  } catch (e) {
    tf.dispose(Object.values(w));
    throw e;
  }
}
