// Shared test fixtures: cpu backend setup, tiny models and the reverse-sequence toy task.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { EOS, Rng, type Seq2SeqBatch, type Seq2SeqConfig } from '../src/index';

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
