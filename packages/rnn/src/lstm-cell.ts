// LSTM weights (Keras layout, gate order i, f, c, o), their initializer and the one-step cell.
import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, orthogonal } from './initializers';

/** LSTM parameters in Keras layout; gate blocks along the last axis are i, f, c (candidate), o. May be tf.Variable. */
export interface LSTMWeights {
  kernel: tf.Tensor2D; // [in, 4u]
  recurrentKernel: tf.Tensor2D; // [u, 4u]
  bias: tf.Tensor1D; // [4u]
}

/** Hidden and cell state. */
export interface LSTMState {
  h: tf.Tensor2D; // [b, u]
  c: tf.Tensor2D; // [b, u]
}

/** Options for {@link initLSTMWeights}. */
export interface InitLSTMOptions {
  /** Seed for the kernel; the recurrent kernel uses seed + 1. Default 0. */
  seed?: number;
  /** Start the forget-gate bias at 1 (Jozefowicz et al. 2015), as Keras' unit_forget_bias. Default true. */
  unitForgetBias?: boolean;
}

/**
 * Glorot-uniform kernel, orthogonal recurrent kernel, zero bias (+1 on the forget block).
 * @example const w = initLSTMWeights(16, 32, { seed: 1 }); // kernel [16,128]
 */
export function initLSTMWeights(
  inputSize: number,
  units: number,
  opts: InitLSTMOptions = {},
): LSTMWeights {
  const seed = opts.seed ?? 0;
  const bias = new Float32Array(4 * units);
  if (opts.unitForgetBias ?? true) bias.fill(1, units, 2 * units);
  return {
    kernel: tf.tensor2d(glorotUniform(inputSize, 4 * units, seed), [inputSize, 4 * units]),
    recurrentKernel: tf.tensor2d(orthogonal(units, 4 * units, seed + 1), [units, 4 * units]),
    bias: tf.tensor1d(bias),
  };
}

/** Throws a descriptive error when weights and input disagree. */
export function checkLSTMWeights(w: LSTMWeights, inputSize: number, where: string): number {
  const units = w.recurrentKernel.shape[0];
  const ok =
    w.kernel.shape[0] === inputSize &&
    w.kernel.shape[1] === 4 * units &&
    w.recurrentKernel.shape[1] === 4 * units &&
    w.bias.shape[0] === 4 * units;
  if (!ok) {
    throw new Error(
      `${where}: expected kernel [${inputSize}, 4u], recurrentKernel [u, 4u], bias [4u]; got kernel [${w.kernel.shape}], ` +
        `recurrentKernel [${w.recurrentKernel.shape}], bias [${w.bias.shape}]`,
    );
  }
  return units;
}

/** Gate activations of one step, each [b, u]. */
export interface LSTMGates {
  i: tf.Tensor2D;
  f: tf.Tensor2D;
  g: tf.Tensor2D; // candidate, tanh
  o: tf.Tensor2D;
}

/** One step returning the gates too; plain autodiff ops (used by the cell, gate recording and probes). */
export function lstmStepWithGates(
  x: tf.Tensor2D,
  state: LSTMState,
  w: LSTMWeights,
): LSTMState & LSTMGates {
  return tf.tidy(() => {
    const z = tf.add(
      tf.add(tf.matMul(x, w.kernel), tf.matMul(state.h, w.recurrentKernel)),
      w.bias,
    ) as tf.Tensor2D; // [b, 4u]
    return { ...gatesFromPreactivation(z, state.c) };
  });
}

/**
 * The gate math in plain autodiff ops, from a pre-activation z [b, 4u] (gate order i, f, g, o)
 * and the previous cell c [b, u]. Call inside a tidy; the fused kernel's fallback uses it too.
 */
export function gatesFromPreactivation(z: tf.Tensor2D, cPrev: tf.Tensor2D): LSTMState & LSTMGates {
  const [zi, zf, zg, zo] = tf.split(z, 4, 1) as [
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
    tf.Tensor2D,
  ];
  const i = tf.sigmoid(zi);
  const f = tf.sigmoid(zf);
  const g = tf.tanh(zg);
  const o = tf.sigmoid(zo);
  const c = tf.add(tf.mul(f, cPrev), tf.mul(i, g)) as tf.Tensor2D;
  const h = tf.mul(o, tf.tanh(c)) as tf.Tensor2D;
  return { h, c, i, f, g, o };
}

/**
 * One LSTM step (sigmoid gates, tanh candidate/output), differentiable with ordinary autodiff.
 * @example const s = lstmCell(x, { h, c }, w); // s.h, s.c: [b, u]
 */
export function lstmCell(x: tf.Tensor2D, state: LSTMState, w: LSTMWeights): LSTMState {
  checkLSTMWeights(w, x.shape[1], 'lstmCell');
  return tf.tidy(() => {
    const r = lstmStepWithGates(x, state, w);
    return { h: r.h, c: r.c };
  });
}
