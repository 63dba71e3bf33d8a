// Adapter over @seqlab/rnn (LSTM cell, fused LSTM, init) plus a LOCAL clipByGlobalNorm until @seqlab/rnn's index exports its own.
import * as tf from '@tensorflow/tfjs-core';

export {
  initLSTMWeights,
  type LSTMState,
  type LSTMWeights,
  lstm,
  lstmCell,
  lstmTimeMajor,
} from '@seqlab/rnn';

/**
 * Scale all gradients so their joint L2 norm is at most `maxNorm`; returns new tensors and
 * the pre-clip norm (one sync). A non-finite norm leaves the scale at 1 so the caller can
 * detect it and skip the update.
 */
export function clipByGlobalNorm<T extends tf.Tensor>(
  grads: Record<string, T>,
  maxNorm: number,
): { grads: Record<string, T>; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: expected maxNorm > 0, got ${maxNorm}`);
  const keys = Object.keys(grads);
  let norm = 0;
  if (keys.length > 0) {
    const n = tf.tidy(() => tf.sqrt(tf.addN(keys.map((k) => tf.sum(tf.square(grads[k] as T)))))); // scalar
    norm = n.dataSync()[0] as number;
    n.dispose();
  }
  const scale = Number.isFinite(norm) && norm > maxNorm ? maxNorm / norm : 1;
  const out: Record<string, T> = {};
  for (const k of keys)
    out[k] = tf.tidy(() =>
      scale === 1 ? (grads[k] as T).clone() : tf.mul(grads[k] as T, scale),
    ) as T;
  return { grads: out, norm };
}
