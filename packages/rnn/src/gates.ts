// Gate recording: run an LSTM and return its gate activations and states per step as plain arrays.
import * as tf from '@tensorflow/tfjs-core';
import { checkLSTMWeights, type LSTMState, type LSTMWeights, lstmStepWithGates } from './lstm-cell';

/** Per-step values as plain nested arrays indexed [step][batch][unit] (JSON-ready, no tensors to dispose). */
export interface LSTMGateRecord {
  input: number[][][];
  forget: number[][][];
  candidate: number[][][];
  output: number[][][];
  cell: number[][][];
  hidden: number[][][];
}

/**
 * Runs the LSTM step by step over x [b, t, in] and records i, f, g (candidate), o, c and h.
 * With a mask, padded steps record the carried state and gates of zero.
 * @example const rec = recordLSTMGates(x, w); rec.forget[3][0][5]; // forget gate, step 3, sample 0, unit 5
 */
export function recordLSTMGates(
  x: tf.Tensor3D,
  w: LSTMWeights,
  opts: { mask?: tf.Tensor2D; initialState?: LSTMState } = {},
): LSTMGateRecord {
  const [b, t, inSize] = x.shape;
  const u = checkLSTMWeights(w, inSize, 'recordLSTMGates');
  const rec: LSTMGateRecord = {
    input: [],
    forget: [],
    candidate: [],
    output: [],
    cell: [],
    hidden: [],
  };
  const maskRows = opts.mask ? (opts.mask.arraySync() as number[][]) : null;
  let state: LSTMState = opts.initialState
    ? { h: tf.clone(opts.initialState.h), c: tf.clone(opts.initialState.c) }
    : { h: tf.zeros([b, u]), c: tf.zeros([b, u]) };
  for (let s = 0; s < t; s++) {
    const next = tf.tidy(() => {
      const xt = tf.squeeze(tf.slice(x, [0, s, 0], [b, 1, inSize]), [1]) as tf.Tensor2D;
      const r = lstmStepWithGates(xt, state, w);
      const m = maskRows
        ? (tf.tensor2d(maskRows.map((row) => [row[s] ? 1 : 0])) as tf.Tensor2D)
        : null;
      const gate = (g: tf.Tensor2D) => (m ? tf.mul(g, m) : g);
      const keep = (n: tf.Tensor2D, p: tf.Tensor2D) => (m ? tf.add(p, tf.mul(m, tf.sub(n, p))) : n);
      rec.input.push(gate(r.i).arraySync() as number[][]);
      rec.forget.push(gate(r.f).arraySync() as number[][]);
      rec.candidate.push(gate(r.g).arraySync() as number[][]);
      rec.output.push(gate(r.o).arraySync() as number[][]);
      const h = keep(r.h, state.h) as tf.Tensor2D;
      const c = keep(r.c, state.c) as tf.Tensor2D;
      rec.cell.push(c.arraySync() as number[][]);
      rec.hidden.push(h.arraySync() as number[][]);
      return { h, c };
    });
    tf.dispose([state.h, state.c]);
    state = next;
  }
  tf.dispose([state.h, state.c]);
  return rec;
}
