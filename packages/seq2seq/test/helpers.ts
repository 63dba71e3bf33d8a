// Shared test fixtures: cpu backend setup, tiny models and the reverse-sequence toy task.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { EOS, Rng } from '@seqlab/text';
import {
  type BeamOptions,
  beamSearchDecode,
  disposeMemory,
  disposeState,
  FastDecoder,
  type GreedyOptions,
  type GreedyResult,
  greedyDecode,
  type Hypothesis,
  type Seq2Seq,
  type Seq2SeqBatch,
  type Seq2SeqConfig,
} from '../src/index';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export const TINY: Partial<Seq2SeqConfig> = {
  srcVocab: 12,
  tgtVocab: 12,
  embDim: 6,
  hidden: 8,
  encoderHidden: 5,
  attentionDim: 7,
  dropout: 0,
  labelSmoothing: 0,
  maxLen: 8,
  seed: 3,
};

/** Reverse task over `symbols` symbols (ids 4..), lengths 1..maxLen; src and tgt end with EOS. */
export function reverseBatches(
  n: number,
  batchSize: number,
  symbols: number,
  maxLen: number,
  seed: number,
): Seq2SeqBatch[] {
  const rng = new Rng(seed);
  const out: Seq2SeqBatch[] = [];
  for (let i = 0; i < n; i++) {
    const src: number[][] = [];
    const tgt: number[][] = [];
    for (let j = 0; j < batchSize; j++) {
      const len = 1 + rng.int(maxLen);
      const s = Array.from({ length: len }, () => 4 + rng.int(symbols));
      src.push([...s, EOS]);
      tgt.push([...s].reverse().concat(EOS));
    }
    out.push({ src, tgt });
  }
  return out;
}

/** Raise the EOS output bias so an untrained model finishes hypotheses within a few steps. */
export function boostEos(
  model: { params: { get(n: string): import('@tensorflow/tfjs-core').Variable } },
  amount: number,
): void {
  const b = model.params.get('decoder/out/bias');
  const arr = b.dataSync().slice();
  arr[EOS] = (arr[EOS] as number) + amount;
  b.assign(tf.tensor1d(arr));
}

/**
 * Greedy decoding of a batch of source id rows (what `Seq2Seq.greedy` did): begin → greedyDecode
 * with `{ maxLen: model.config.maxLen, ...opts }` → dispose. Pass `fast` in `opts` to encode and
 * decode on a FastDecoder.
 */
export async function greedy(
  model: Seq2Seq,
  src: number[][],
  opts: Partial<GreedyOptions> = {},
): Promise<GreedyResult[]> {
  const { mem, state } = model.begin(src, opts.fast ?? null);
  try {
    return await greedyDecode(model.decoder, mem, state, { maxLen: model.config.maxLen, ...opts });
  } finally {
    disposeMemory(mem);
    disposeState(state);
  }
}

/**
 * Beam search for each source row, n-best list per row (what `Seq2Seq.beamSearch` did): per row
 * begin([row]) → beamSearchDecode with `{ maxLen: model.config.maxLen, ...opts }` → dispose.
 */
export async function beamSearch(
  model: Seq2Seq,
  src: number[][],
  opts: Partial<BeamOptions> = {},
): Promise<Hypothesis[][]> {
  const out: Hypothesis[][] = [];
  for (const row of src) {
    const { mem, state } = model.begin([row], opts.fast ?? null);
    try {
      out.push(
        await beamSearchDecode(model.decoder, mem, state, { maxLen: model.config.maxLen, ...opts }),
      );
    } finally {
      disposeMemory(mem);
      disposeState(state);
    }
  }
  return out;
}

/**
 * A FastDecoder of `model` with exactly the parts asked for: `hostDecoder` (decoder steps on the
 * host), `hostEncoder` (also the text encoder; implies hostDecoder) and `int8Head`, which is built
 * whatever the model's size — FastDecoder.from builds it only for vocabulary × hidden ≥ 32,768,
 * and every test model is smaller. Its `dispose()` frees the parts, as FastDecoder's does.
 */
export function fastDecoder(
  model: Seq2Seq,
  want: { hostDecoder?: boolean; hostEncoder?: boolean; int8Head?: boolean },
): FastDecoder {
  // Without the text encoder, FastDecoder.from builds no host encoder; minInt8Weights 0 gives
  // these tiny models the int8 head the default size rule would deny them.
  return FastDecoder.from(want.hostEncoder ? model : { decoder: model.decoder }, {
    int8Head: !!want.int8Head,
    minInt8Weights: 0,
    hostDecoding: !!(want.hostDecoder || want.hostEncoder),
  });
}

/**
 * Source rows of different lengths (masked memory slots are exercised), five of them (batched
 * host steps run both the four-row kernel and the single-row one).
 */
export const RAGGED_SRC = [
  [5, 6, 7, 8, 9, 2],
  [8, 9, 2],
  [10, 11, 12, 2],
  [6, 2],
  [7, 13, 9, 14, 2],
];
