// Seq2Seq: the text encoder + attention decoder as one trainable, disposable model object.
import * as tf from '@tensorflow/tfjs-core';
import {
  checkIds,
  countTargetTokens,
  padIds,
  type Seq2SeqBatch,
  teacherForcingPair,
} from './batch';
import { resolveConfig, type Seq2SeqConfig } from './config';
import { Decoder, type DecoderMemory, type DecoderState } from './decoder';
import { type ArrayEncoder, Encoder } from './encoder';
import { type DropoutCtx, dropoutCtx, tidy } from './layers';
import { maskedCrossEntropy, sequenceLogProb } from './loss';
import { ParamStore } from './params';

/** What the trainer needs from any model (seq2seq, captioner, …). */
export interface TrainableModel<B> {
  readonly params: ParamStore;
  /** JSON config stored in checkpoints. */
  readonly config: object;
  /** Scalar loss of one batch; `seed` drives dropout when training. */
  loss(batch: B, opts: { training: boolean; seed: number }): tf.Scalar;
  /** Tokens in the batch, for tokens/s reporting. */
  countTokens(batch: B): number;
  dispose(): void;
}

/**
 * LSTM encoder-decoder with attention over token ids (PAD=0, BOS=1, EOS=2, UNK=3).
 *
 * @example
 * const model = new Seq2Seq({ srcVocab: 30, tgtVocab: 30, embDim: 16, hidden: 32, encoderHidden: 16 });
 * const loss = model.loss({ src: [[5, 6, 2]], tgt: [[6, 5, 2]] }, { training: true, seed: 1 });
 * const [[best]] = await generate(model, [[5, 6, 2]], { beam: 4 });
 * model.dispose();
 */
export class Seq2Seq implements TrainableModel<Seq2SeqBatch> {
  readonly config: Seq2SeqConfig;
  readonly params = new ParamStore();
  readonly encoder: Encoder;
  readonly decoder: Decoder;

  constructor(config: Partial<Seq2SeqConfig> = {}) {
    this.config = resolveConfig(config);
    const c = this.config;
    this.encoder = new Encoder(
      {
        vocab: c.srcVocab,
        embDim: c.embDim,
        hidden: c.encoderHidden,
        layers: c.encoderLayers,
        bidirectional: c.bidirectional,
      },
      this.params,
      'encoder',
      c.seed,
    );
    this.decoder = new Decoder(
      {
        vocab: c.tgtVocab,
        embDim: c.embDim,
        hidden: c.hidden,
        layers: c.decoderLayers,
        memoryDim: this.encoder.memoryDim,
        bridgeDim: this.encoder.memoryDim,
        attention: c.attention,
        attentionDim: c.attentionDim,
        tieEmbeddings: c.tieEmbeddings,
        inputFeeding: c.inputFeeding,
      },
      this.params,
      'decoder',
      c.seed + 10_000,
    );
  }

  /** Encode padded source ids [b, S] and prepare the decoder (memory, keys, initial state). Caller disposes both. */
  start(src: tf.Tensor2D, drop?: DropoutCtx): { mem: DecoderMemory; state: DecoderState } {
    this.assertAlive();
    return tidy(() => {
      const enc = this.encoder.encode(src, drop);
      return this.decoder.init(enc.memory, enc.mask, enc.summary);
    });
  }

  /** Teacher-forced logits [b, L, V] and attention [b, L, S] for id batches. */
  forward(
    src: tf.Tensor2D,
    tgtIn: tf.Tensor2D,
    opts: { training?: boolean; seed?: number; timeMajor?: boolean } = {},
  ): { logits: tf.Tensor3D; attention: tf.Tensor3D | null } {
    this.assertAlive();
    return tidy(() => {
      const drop = dropoutCtx(opts.training ?? false, this.config.dropout, opts.seed ?? 0);
      const { mem, state } = this.start(src, drop);
      return this.decoder.teacherForced(mem, state, tgtIn, drop, {
        timeMajor: opts.timeMajor ?? false,
      });
    });
  }

  loss(batch: Seq2SeqBatch, opts: { training: boolean; seed: number }): tf.Scalar {
    this.assertAlive();
    return tf.tidy(() => {
      const src = padIds(batch.src);
      const { input, output } = teacherForcingPair(batch.tgt);
      const { logits } = this.forward(src, input, { ...opts, timeMajor: true }); // [L, b, V]
      return maskedCrossEntropy(
        logits,
        tf.transpose(output),
        opts.training ? this.config.labelSmoothing : 0,
      );
    });
  }

  countTokens(batch: Seq2SeqBatch): number {
    return countTargetTokens(batch);
  }

  /** Exact log P(tgt | src) per row under teacher forcing (tgt rows end with EOS). */
  async scoreSequences(src: number[][], tgt: number[][]): Promise<number[]> {
    this.assertAlive();
    const lp = tf.tidy(() => {
      const { input, output } = teacherForcingPair(tgt);
      const { logits } = this.forward(padIds(src), input);
      return sequenceLogProb(logits, output);
    });
    const out = Array.from(await lp.data());
    lp.dispose();
    return out;
  }

  /** The source rows, validated as the tensor path validates them (for decoding that encodes on the host). */
  idRows(src: readonly (readonly number[])[]): readonly (readonly number[])[] {
    this.assertAlive();
    checkIds(src, this.config.srcVocab);
    return src;
  }

  inputCount(src: readonly (readonly number[])[]): number {
    return src.length;
  }

  inputAt(src: readonly (readonly number[])[], i: number): number[][] {
    return [[...(src[i] ?? [])]];
  }

  /**
   * {@link start} for source id rows (EOS-terminated), for `generate`: encoding with `fast`'s
   * encoder when it has one (a FastDecoder's host copy). The caller disposes both results.
   */
  begin(
    src: readonly (readonly number[])[],
    fast: { readonly encoder: ArrayEncoder | null } | null = null,
  ): { mem: DecoderMemory; state: DecoderState } {
    this.assertAlive();
    const host = fast?.encoder;
    checkIds(src, this.config.srcVocab); // the same errors on the tensor and host paths
    if (!host) {
      const s = padIds(src);
      try {
        return this.start(s);
      } finally {
        s.dispose();
      }
    }
    const enc = host.encode(src);
    const b = src.length;
    const S = enc.mask.length / b;
    const d = this.encoder.memoryDim;
    return tidy(() =>
      this.decoder.init(
        tf.tensor3d(enc.memory, [b, S, d]),
        tf.tensor2d(enc.mask, [b, S]),
        tf.tensor2d(enc.summary, [b, d]),
      ),
    );
  }

  get isDisposed(): boolean {
    return this.params.isDisposed;
  }

  dispose(): void {
    this.params.dispose();
  }

  private assertAlive(): void {
    if (this.params.isDisposed)
      throw new Error('Seq2Seq: model used after dispose(); load or create a new one');
  }
}
