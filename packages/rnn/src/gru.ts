// GRU in tfjs-layers' formulation (reset gate before the recurrent matmul, gate order z, r, h).
import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, orthogonal } from './initializers';
import { tidyResult } from './lstm';
import { type LoopOptions, projectInputs, stackBatchMajor, stepMasks, timeLoop } from './time-loop';

/** GRU parameters in Keras/tfjs layout (reset_after = false, which is all tfjs-layers 4.22 supports). */
export interface GRUWeights {
  kernel: tf.Tensor2D; // [in, 3u] blocks z, r, h
  recurrentKernel: tf.Tensor2D; // [u, 3u]
  bias: tf.Tensor1D; // [3u]
}

/** Options for {@link gru}. */
export interface GRUOptions extends LoopOptions {
  initialState?: tf.Tensor2D; // [b, u]
  returnSequences?: boolean; // default true
}

/**
 * Glorot kernel, orthogonal recurrent kernel, zero bias.
 * @example const w = initGRUWeights(8, 16, { seed: 2 });
 */
export function initGRUWeights(
  inputSize: number,
  units: number,
  opts: { seed?: number } = {},
): GRUWeights {
  const seed = opts.seed ?? 0;
  return {
    kernel: tf.tensor2d(glorotUniform(inputSize, 3 * units, seed), [inputSize, 3 * units]),
    recurrentKernel: tf.tensor2d(orthogonal(units, 3 * units, seed + 1), [units, 3 * units]),
    bias: tf.zeros([3 * units]),
  };
}

/** One GRU step on a projected input xp = x W + b ([b, 3u]). */
export function gruStep(xp: tf.Tensor2D, h: tf.Tensor2D, rk: tf.Tensor2D): tf.Tensor2D {
  const u = h.shape[1];
  const [xz, xr, xh] = tf.split(xp, 3, 1) as tf.Tensor2D[];
  const rkZR = tf.slice(rk, [0, 0], [u, 2 * u]);
  const rkH = tf.slice(rk, [0, 2 * u], [u, u]);
  const [hz, hr] = tf.split(tf.matMul(h, rkZR), 2, 1) as tf.Tensor2D[];
  const z = tf.sigmoid(tf.add(xz as tf.Tensor2D, hz as tf.Tensor2D));
  const r = tf.sigmoid(tf.add(xr as tf.Tensor2D, hr as tf.Tensor2D));
  const hh = tf.tanh(tf.add(xh as tf.Tensor2D, tf.matMul(tf.mul(r, h), rkH)));
  return tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), hh)) as tf.Tensor2D;
}

/**
 * GRU over [b, t, in]; matches tf.layers.gru with recurrentActivation 'sigmoid'.
 * @example const { sequence, h } = gru(x, initGRUWeights(8, 16));
 */
export function gru(
  x: tf.Tensor3D,
  w: GRUWeights,
  opts: GRUOptions = {},
): { sequence: tf.Tensor3D | null; h: tf.Tensor2D } {
  const [b, t, inSize] = x.shape;
  const u = w.recurrentKernel.shape[0];
  if (
    w.kernel.shape[0] !== inSize ||
    w.kernel.shape[1] !== 3 * u ||
    w.recurrentKernel.shape[1] !== 3 * u ||
    w.bias.shape[0] !== 3 * u
  ) {
    throw new Error(
      `gru: expected kernel [${inSize}, 3u], recurrentKernel [u, 3u], bias [3u]; got [${w.kernel.shape}], [${w.recurrentKernel.shape}], [${w.bias.shape}]`,
    );
  }
  return tidyResult(() => {
    const xp = projectInputs(x, w.kernel, w.bias);
    const h0 = opts.initialState ?? (tf.zeros([b, u]) as tf.Tensor2D);
    const r = timeLoop(
      xp,
      [h0],
      (xt, [h]) => [gruStep(xt, h as tf.Tensor2D, w.recurrentKernel)],
      stepMasks(opts.mask, b, t, opts.goBackwards ?? false),
      opts.goBackwards,
    );
    return {
      sequence: (opts.returnSequences ?? true) ? stackBatchMajor(r.outputs) : null,
      h: r.final[0] as tf.Tensor2D,
    };
  });
}
