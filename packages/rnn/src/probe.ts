// Gradient probe: ||dLoss/dh_t|| for every time step, for SimpleRNN, LSTM and GRU (vanishing/exploding gradients).
import * as tf from '@tensorflow/tfjs-core';
import { type GRUWeights, gruStep } from './gru';
import type { LSTMWeights } from './lstm-cell';
import { lstmStepWithGates } from './lstm-cell';
import type { SimpleRNNWeights } from './simple-rnn';
import { projectInputs } from './time-loop';

/** Which cell to probe, with its weights. */
export type ProbeModel =
  | { kind: 'lstm'; weights: LSTMWeights }
  | { kind: 'gru'; weights: GRUWeights }
  | { kind: 'simpleRNN'; weights: SimpleRNNWeights; activation?: 'tanh' | 'relu' };

/**
 * Returns, for t = 0..T-1, the L2 norm of dLoss/dh_t over the batch, where h_t is the hidden state
 * after step t and the gradient includes every path through later steps. The default loss is
 * sum(h_T), so the curve shows how a signal from the end decays (or grows) going back in time.
 * Works by adding a zero tensor e_t to each h_t and differentiating with respect to e_t.
 * @example const norms = gradientProbe({ kind: 'simpleRNN', weights: w }, x); // number[T]
 */
export function gradientProbe(
  model: ProbeModel,
  x: tf.Tensor3D,
  loss?: (hs: tf.Tensor2D[]) => tf.Scalar,
): number[] {
  const [b, T] = x.shape;
  const u = model.weights.recurrentKernel.shape[0];
  return tf.tidy(() => {
    const zeros = Array.from({ length: T }, () => tf.zeros([b, u]) as tf.Tensor2D);
    const f = (...es: tf.Tensor[]): tf.Scalar => {
      const w = model.weights;
      const xp = model.kind === 'lstm' ? null : projectInputs(x, w.kernel, w.bias);
      let h = tf.zeros([b, u]) as tf.Tensor2D;
      let c = tf.zeros([b, u]) as tf.Tensor2D;
      const hs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        if (model.kind === 'lstm') {
          const xt = tf.squeeze(tf.slice(x, [0, t, 0], [b, 1, x.shape[2]]), [1]) as tf.Tensor2D;
          const s = lstmStepWithGates(xt, { h, c }, model.weights);
          h = s.h;
          c = s.c;
        } else if (model.kind === 'gru') {
          h = gruStep(xp?.[t] as tf.Tensor2D, h, model.weights.recurrentKernel);
        } else {
          const pre = tf.add(xp?.[t] as tf.Tensor2D, tf.matMul(h, model.weights.recurrentKernel));
          h = (model.activation === 'relu' ? tf.relu(pre) : tf.tanh(pre)) as tf.Tensor2D;
        }
        h = tf.add(h, es[t] as tf.Tensor2D) as tf.Tensor2D;
        hs.push(h);
      }
      return loss ? loss(hs) : (tf.sum(hs[T - 1] as tf.Tensor2D) as tf.Scalar);
    };
    const grads = tf.grads(f)(zeros);
    return grads.map((g) => tf.norm(g).dataSync()[0] as number);
  });
}
