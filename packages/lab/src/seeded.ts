// Seeded random tensors and generators: every lab run is reproducible from its seed.
import { makeRng } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

export { makeRng };

/** A seeded generator of uniform floats in [0, 1). */
export type Rng = () => number;

/** n uniform values in [-scale, scale] from a seeded generator. */
export function uniformArray(n: number, scale: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = (rng() * 2 - 1) * scale;
  return data;
}

/** Uniform values in [-scale, scale] from a seeded generator (tf.randomUniform's seed is backend-dependent). */
export function seededUniform(shape: number[], scale: number, seed: number): tf.Tensor {
  return tf.tensor(
    uniformArray(
      shape.reduce((a, b) => a * b, 1),
      scale,
      seed,
    ),
    shape,
    'float32',
  );
}

/** Fisher–Yates shuffle in place with a seeded generator. */
export function shuffle<T>(xs: T[], rng: Rng): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
  }
  return xs;
}
