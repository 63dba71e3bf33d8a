// SimpleRNN (Elman) with tanh or relu, Keras weight layout, on the shared time loop.
import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, identity, orthogonal } from './initializers';
import { tidyResult } from './lstm';
import { type LoopOptions, projectInputs, stackBatchMajor, stepMasks, timeLoop } from './time-loop';

/** SimpleRNN parameters (Keras layout). */
export interface SimpleRNNWeights {
  kernel: tf.Tensor2D; // [in, u]
  recurrentKernel: tf.Tensor2D; // [u, u]
  bias: tf.Tensor1D; // [u]
}

/** Options for {@link simpleRNN}. */
export interface SimpleRNNOptions extends LoopOptions {
  activation?: 'tanh' | 'relu';
  initialState?: tf.Tensor2D; // [b, u]
  returnSequences?: boolean; // default true
}

/**
 * Glorot kernel, orthogonal (or identity, for IRNN with relu) recurrent kernel, zero bias.
 * @example const w = initSimpleRNNWeights(8, 16, { recurrent: 'identity' });
 */
export function initSimpleRNNWeights(
  inputSize: number,
  units: number,
  opts: { seed?: number; recurrent?: 'orthogonal' | 'identity'; recurrentGain?: number } = {},
): SimpleRNNWeights {
  const seed = opts.seed ?? 0;
  const gain = opts.recurrentGain ?? 1;
  const rec =
    opts.recurrent === 'identity'
      ? identity(units, units, gain)
      : orthogonal(units, units, seed + 1, gain);
  return {
    kernel: tf.tensor2d(glorotUniform(inputSize, units, seed), [inputSize, units]),
    recurrentKernel: tf.tensor2d(rec, [units, units]),
    bias: tf.zeros([units]),
  };
}

/**
 * Elman RNN: h_t = act(x_t W + h_{t-1} U + b). Differentiable by autodiff; matches tf.layers.simpleRNN.
 * @example const { sequence, h } = simpleRNN(x, w, { activation: 'relu' });
 */
export function simpleRNN(
  x: tf.Tensor3D,
  w: SimpleRNNWeights,
  opts: SimpleRNNOptions = {},
): { sequence: tf.Tensor3D | null; h: tf.Tensor2D } {
  const [b, t, inSize] = x.shape;
  const u = w.recurrentKernel.shape[0];
  if (w.kernel.shape[0] !== inSize || w.kernel.shape[1] !== u || w.bias.shape[0] !== u) {
    throw new Error(
      `simpleRNN: expected kernel [${inSize}, ${u}] and bias [${u}], got kernel [${w.kernel.shape}], bias [${w.bias.shape}]`,
    );
  }
  const act = opts.activation ?? 'tanh';
  if (act !== 'tanh' && act !== 'relu')
    throw new Error(`simpleRNN: activation '${String(act)}' unknown, valid: tanh, relu`);
  return tidyResult(() => {
    const xp = projectInputs(x, w.kernel, w.bias);
    const h0 = opts.initialState ?? (tf.zeros([b, u]) as tf.Tensor2D);
    const f = act === 'tanh' ? tf.tanh : tf.relu;
    const r = timeLoop(
      xp,
      [h0],
      (xt, [h]) => [f(tf.add(xt, tf.matMul(h as tf.Tensor2D, w.recurrentKernel))) as tf.Tensor2D],
      stepMasks(opts.mask, b, t, opts.goBackwards ?? false),
      opts.goBackwards,
    );
    return {
      sequence: (opts.returnSequences ?? true) ? stackBatchMajor(r.outputs) : null,
      h: r.final[0] as tf.Tensor2D,
    };
  });
}
