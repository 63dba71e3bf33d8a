// All LSTM states per step (h and c), differentiable, for analysis and labs that need the cell trajectory.
import * as tf from '@tensorflow/tfjs-core';
import { checkLSTMWeights, type LSTMState, type LSTMWeights, lstmStepWithGates } from './lstm-cell';
import { stepMasks } from './time-loop';

/**
 * Runs the LSTM step by step and returns h and c after every step, [b, t, u] each, in input
 * time order (processing order when goBackwards), with tfjs-layers masking (masked steps carry
 * both). Plain autodiff; use {@link lstm} when only outputs and the final state are needed.
 * @example const { h, c } = lstmStates(x, w, { mask }); // c[:, t, :] is the cell after step t
 */
export function lstmStates(
  x: tf.Tensor3D,
  w: LSTMWeights,
  opts: { mask?: tf.Tensor2D; initialState?: LSTMState; goBackwards?: boolean } = {},
): { h: tf.Tensor3D; c: tf.Tensor3D } {
  const [b, t, inSize] = x.shape;
  const u = checkLSTMWeights(w, inSize, 'lstmStates');
  return tf.tidy(() => {
    const masks = stepMasks(opts.mask, b, t, opts.goBackwards ?? false);
    let s: LSTMState = opts.initialState ?? { h: tf.zeros([b, u]), c: tf.zeros([b, u]) };
    const hs: tf.Tensor2D[] = [];
    const cs: tf.Tensor2D[] = [];
    for (let k = 0; k < t; k++) {
      const at = opts.goBackwards ? t - 1 - k : k;
      const xt = tf.reshape(tf.slice(x, [0, at, 0], [b, 1, inSize]), [b, inSize]) as tf.Tensor2D;
      const r = lstmStepWithGates(xt, s, w);
      const m = masks?.[k];
      const keep = (n: tf.Tensor2D, p: tf.Tensor2D) =>
        m ? (tf.add(p, tf.mul(m, tf.sub(n, p))) as tf.Tensor2D) : n;
      s = { h: keep(r.h, s.h), c: keep(r.c, s.c) };
      hs.push(s.h);
      cs.push(s.c);
    }
    return { h: tf.stack(hs, 1) as tf.Tensor3D, c: tf.stack(cs, 1) as tf.Tensor3D };
  });
}
