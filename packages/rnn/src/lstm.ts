// Fast LSTM over a whole sequence: one input matmul for all steps, hand-written fused BPTT via tf.customGrad.
import * as tf from '@tensorflow/tfjs-core';
import { fusedLstmAvailable } from './fused-kernels';
import { checkLSTMWeights, type LSTMState, type LSTMWeights } from './lstm-cell';
import { makeFusedOp, sequenceGrads } from './lstm-fused';

/** Options for {@link lstm} and {@link lstmTimeMajor}. */
export interface LSTMOptions {
  /** 1 = valid step, 0 = padding; masked steps carry h and c forward (tfjs-layers semantics). [b, t] */
  mask?: tf.Tensor2D;
  /** Start state; zeros when absent. */
  initialState?: LSTMState;
  /** Process time in reverse; the output sequence is then in processing (reversed) order, like Keras. */
  goBackwards?: boolean;
  /** Return the per-step outputs. Default true. */
  returnSequences?: boolean;
}

/** Result of {@link lstm}: outputs per step (null when returnSequences is false) and final state. */
export interface LSTMResult {
  sequence: tf.Tensor3D | null; // [b, t, u] ([t, b, u] from lstmTimeMajor)
  h: tf.Tensor2D; // [b, u]
  c: tf.Tensor2D; // [b, u]
}

/** tf.tidy for results whose sequence may be null (tidy's container type has no null). */
export function tidyResult<T extends { sequence: tf.Tensor | null }>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}

/** Column scales that let one sigmoid serve all four gates: tanh(z) = 2*sigmoid(2z) - 1. */
function gateScale(units: number, candidate: number, other: number): tf.Tensor1D {
  const s = new Float32Array(4 * units).fill(other);
  s.fill(candidate, 2 * units, 3 * units);
  return tf.tensor1d(s);
}

/**
 * Builds the tf-ops custom-gradient op (the path webgl/webgpu take). Inputs are all tensors (customGrad needs that); the mask variant
 * takes one more. Output is packed as [steps(+2), b, u]: per-step h (when sequences are wanted),
 * then final h, then final c — customGrad ops have a single output.
 */
function makeOp(
  t: number,
  b: number,
  inSize: number,
  u: number,
  withMask: boolean,
  wantSeq: boolean,
) {
  return tf.customGrad((...args: unknown[]) => {
    const [x, kernel, rk, bias, h0, c0] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const mask = withMask ? (args[6] as tf.Tensor3D) : null; // [t, b, 1]
    const save = args[withMask ? 7 : 6] as tf.GradSaveFunc;
    const x2 = tf.reshape(x, [t * b, inSize]); // [t*b, in]
    // Scaling the candidate columns by 2 lets one sigmoid produce all gates.
    const scale2 = gateScale(u, 2, 1);
    const xp = tf.fused.matMul({ a: x2, b: tf.mul(kernel, scale2), bias: tf.mul(bias, scale2) }); // [t*b, 4u]
    const xps = tf.unstack(tf.reshape(xp, [t, b, 4 * u])); // t × [b, 4u]
    const rkS = tf.mul(rk, scale2) as tf.Tensor2D; // [u, 4u]
    const masks = mask ? tf.unstack(mask) : null; // t × [b, 1]
    let h = h0;
    let c = c0;
    const hs: tf.Tensor2D[] = [];
    const cs: tf.Tensor2D[] = [];
    const acts: tf.Tensor2D[] = [];
    for (let s = 0; s < t; s++) {
      const z = tf.add(xps[s] as tf.Tensor2D, tf.matMul(h, rkS)); // [b, 4u]
      const a = tf.sigmoid(z) as tf.Tensor2D; // i, f, (g+1)/2, o
      const [ai, af, ag, ao] = tf.split(a, 4, 1) as tf.Tensor2D[];
      const g = tf.sub(tf.mul(ag as tf.Tensor2D, 2), 1);
      let cn = tf.add(tf.mul(af as tf.Tensor2D, c), tf.mul(ai as tf.Tensor2D, g)) as tf.Tensor2D;
      let hn = tf.mul(ao as tf.Tensor2D, tf.tanh(cn)) as tf.Tensor2D;
      const m = masks?.[s];
      if (m) {
        cn = tf.add(c, tf.mul(m, tf.sub(cn, c))) as tf.Tensor2D;
        hn = tf.add(h, tf.mul(m, tf.sub(hn, h))) as tf.Tensor2D;
      }
      acts.push(a);
      h = hn;
      c = cn;
      hs.push(h);
      cs.push(c);
    }
    save([x2, kernel, rk, h0, c0, ...(mask ? [mask] : []), ...acts, ...hs, ...cs]);
    const value = tf.stack(wantSeq ? [...hs, h, c] : [h, c]) as tf.Tensor3D;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        backward(dy as tf.Tensor3D, saved, t, b, inSize, u, withMask, wantSeq),
    };
  });
}

function backward(
  dy: tf.Tensor3D,
  saved: tf.Tensor[],
  t: number,
  b: number,
  inSize: number,
  u: number,
  withMask: boolean,
  wantSeq: boolean,
): tf.Tensor[] {
  let k = 0;
  const x2 = saved[k++] as tf.Tensor2D;
  const kernel = saved[k++] as tf.Tensor2D;
  const rk = saved[k++] as tf.Tensor2D;
  const h0 = saved[k++] as tf.Tensor2D;
  const c0 = saved[k++] as tf.Tensor2D;
  const mask = withMask ? (saved[k++] as tf.Tensor3D) : null;
  const acts = saved.slice(k, k + t) as tf.Tensor2D[];
  const hs = saved.slice(k + t, k + 2 * t) as tf.Tensor2D[];
  const cs = saved.slice(k + 2 * t, k + 3 * t) as tf.Tensor2D[];
  const dys = tf.unstack(dy) as tf.Tensor2D[]; // per-step dh, then dh_T, dc_T
  const masks = mask ? (tf.unstack(mask) as tf.Tensor2D[]) : null;
  // Explicit transposes: wasm's transposed matmul is slow.
  const rkT = tf.transpose(rk); // [4u, u]
  // d(gate pre-activation) = d(gate) * a(1-a); the candidate block is 4a(1-a) because g = 2a - 1 with z scaled by 2.
  const scale4 = gateScale(u, 4, 1);
  let dh = dys[wantSeq ? t : 0] as tf.Tensor2D;
  let dc = dys[wantSeq ? t + 1 : 1] as tf.Tensor2D;
  const dzs: tf.Tensor2D[] = new Array(t);
  for (let s = t - 1; s >= 0; s--) {
    if (wantSeq) dh = tf.add(dh, dys[s] as tf.Tensor2D);
    const cPrev = s > 0 ? (cs[s - 1] as tf.Tensor2D) : c0;
    const a = acts[s] as tf.Tensor2D;
    const [ai, af, ag, ao] = tf.split(a, 4, 1) as tf.Tensor2D[];
    const m = masks?.[s];
    // A masked step passed h, c straight through, so their gradients bypass the cell.
    const dhn = m ? tf.mul(dh, m) : dh;
    const dcIn = m ? tf.mul(dc, m) : dc;
    // Recompute the unmasked new cell from saved gates: cheaper than saving it.
    const g = tf.sub(tf.mul(ag as tf.Tensor2D, 2), 1);
    const cn = m
      ? tf.add(tf.mul(af as tf.Tensor2D, cPrev), tf.mul(ai as tf.Tensor2D, g))
      : (cs[s] as tf.Tensor2D);
    const tc = tf.tanh(cn);
    const dcn = tf.add(dcIn, tf.mul(tf.mul(dhn, ao as tf.Tensor2D), tf.sub(1, tf.square(tc))));
    const dAct = tf.concat(
      [tf.mul(dcn, g), tf.mul(dcn, cPrev), tf.mul(dcn, ai as tf.Tensor2D), tf.mul(dhn, tc)],
      1,
    ); // [b, 4u]
    const dz = tf.mul(dAct, tf.mul(tf.mul(a, tf.sub(1, a)), scale4)) as tf.Tensor2D; // [b, 4u]
    dzs[s] = dz;
    let dcPrev = tf.mul(dcn, af as tf.Tensor2D) as tf.Tensor2D;
    let dhPrev = tf.matMul(dz, rkT);
    if (m) {
      const keep = tf.sub(1, m);
      dhPrev = tf.add(dhPrev, tf.mul(dh, keep));
      dcPrev = tf.add(dcPrev, tf.mul(dc, keep));
    }
    dh = dhPrev as tf.Tensor2D;
    dc = dcPrev;
  }
  return sequenceGrads({ dzs, x2, kernel, h0, hs, dh, dc, mask }, t, b, inSize);
}

/**
 * Time-major LSTM, the fast path trainers should call: x [t, b, in] → sequence [t, b, u].
 * Same semantics and options as {@link lstm} (mask is still [b, t]).
 * @example const { sequence, h, c } = lstmTimeMajor(xTBI, w);
 */
export function lstmTimeMajor(x: tf.Tensor3D, w: LSTMWeights, opts: LSTMOptions = {}): LSTMResult {
  const [t, b, inSize] = x.shape;
  const u = checkLSTMWeights(w, inSize, 'lstm');
  if (t === 0) throw new Error('lstm: expected at least one time step, got 0');
  if (opts.mask && (opts.mask.shape[0] !== b || opts.mask.shape[1] !== t)) {
    throw new Error(`lstm: expected mask [${b}, ${t}] (batch, time), got [${opts.mask.shape}]`);
  }
  const wantSeq = opts.returnSequences ?? true;
  return tidyResult(() => {
    const h0 = opts.initialState?.h ?? tf.zeros([b, u]);
    const c0 = opts.initialState?.c ?? tf.zeros([b, u]);
    let xs = x;
    let mask = opts.mask
      ? (tf.expandDims(
          tf.transpose(tf.cast(tf.notEqual(opts.mask, 0), 'float32')),
          2,
        ) as tf.Tensor3D)
      : undefined; // [t, b, 1]
    if (opts.goBackwards) {
      xs = tf.reverse(xs, 0);
      if (mask) mask = tf.reverse(mask, 0);
    }
    // cpu/wasm run fused JS gate kernels; other backends (webgl, webgpu) the equivalent tf ops.
    const op = fusedLstmAvailable()
      ? makeFusedOp({ t, b, inSize, u, withMask: mask != null, wantSeq })
      : makeOp(t, b, inSize, u, mask != null, wantSeq);
    const inputs: tf.Tensor[] = [xs, w.kernel, w.recurrentKernel, w.bias, h0, c0];
    if (mask) inputs.push(mask);
    const packed = (op as (...a: tf.Tensor[]) => tf.Tensor3D)(...inputs); // [t+2 | 2, b, u]
    const n = packed.shape[0];
    const [hLast, cLast] = [
      tf.squeeze(tf.slice(packed, [n - 2, 0, 0], [1, b, u]), [0]),
      tf.squeeze(tf.slice(packed, [n - 1, 0, 0], [1, b, u]), [0]),
    ];
    const sequence = wantSeq ? (tf.slice(packed, [0, 0, 0], [t, b, u]) as tf.Tensor3D) : null;
    return { sequence, h: hLast as tf.Tensor2D, c: cLast as tf.Tensor2D };
  });
}

/**
 * LSTM over a batch-major sequence with a fused, hand-written backward pass (differentiable
 * w.r.t. x, weights and initial state). Matches tf.layers.lstm with sigmoid recurrent activation.
 * @example
 * const w = initLSTMWeights(8, 16, { seed: 1 });
 * const { sequence, h, c } = lstm(tf.randomNormal([2, 5, 8]), w, { mask });
 */
export function lstm(x: tf.Tensor3D, w: LSTMWeights, opts: LSTMOptions = {}): LSTMResult {
  if (x.rank !== 3)
    throw new Error(`lstm: expected x [batch, time, features], got shape [${x.shape}]`);
  return tidyResult(() => {
    const r = lstmTimeMajor(tf.transpose(x, [1, 0, 2]), w, opts);
    return {
      sequence: r.sequence ? (tf.transpose(r.sequence, [1, 0, 2]) as tf.Tensor3D) : null,
      h: r.h,
      c: r.c,
    };
  });
}
