// Fused-kernel LSTM sequence op (cpu, wasm): per step one recurrent matmul + one gate kernel, and the same in reverse.
import * as tf from '@tensorflow/tfjs-core';
import { LSTM_STEP, LSTM_STEP_GRAD } from './fused-kernels';

/** Sizes of one sequence op. */
export interface SeqDims {
  t: number;
  b: number;
  inSize: number;
  u: number;
  withMask: boolean;
  wantSeq: boolean;
}

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, number>) =>
  tf
    .engine()
    .runKernel(name, inputs as unknown as tf.NamedTensorMap, attrs) as unknown as tf.Tensor2D[];

/** customGrad op: (x [t,b,in], kernel, rk, bias, h0, c0[, mask [t,b,1]]) → packed [t(+2) | 2, b, u]. */
export function makeFusedOp(d: SeqDims) {
  const { t, b, inSize, u, withMask, wantSeq } = d;
  return tf.customGrad((...args: unknown[]) => {
    const [x, kernel, rk, bias, h0, c0] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor2D,
    ];
    const mask = withMask ? (args[6] as tf.Tensor3D) : null;
    const save = args[withMask ? 7 : 6] as tf.GradSaveFunc;
    const x2 = tf.reshape(x, [t * b, inSize]); // [t*b, in]
    const xp = tf.reshape(tf.fused.matMul({ a: x2, b: kernel, bias }), [t, b, 4 * u]); // [t, b, 4u]: all steps' input projections at once
    let h = h0;
    let c = c0;
    const hs: tf.Tensor2D[] = [];
    const cs: tf.Tensor2D[] = [];
    const acts: tf.Tensor2D[] = [];
    const raws: tf.Tensor2D[] = [];
    for (let s = 0; s < t; s++) {
      const hr = tf.matMul(h, rk); // [b, 4u]
      const inputs: Record<string, tf.Tensor> = { xp, hr, h, c };
      if (mask) inputs.mask = mask;
      const [hn, cn, act, raw] = run(LSTM_STEP, inputs, { step: s }) as [
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
        tf.Tensor2D,
      ];
      h = hn;
      c = cn;
      hs.push(h);
      cs.push(c);
      acts.push(act);
      raws.push(raw);
    }
    save([x2, kernel, rk, h0, c0, ...(mask ? [mask] : []), ...acts, ...raws, ...hs, ...cs]);
    const value = tf.stack(wantSeq ? [...hs, h, c] : [h, c]) as tf.Tensor3D;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => fusedBackward(dy as tf.Tensor3D, saved, d),
    };
  });
}

function fusedBackward(dy: tf.Tensor3D, saved: tf.Tensor[], d: SeqDims): tf.Tensor[] {
  const { t, b, inSize, u, withMask, wantSeq } = d;
  let k = 0;
  const x2 = saved[k++] as tf.Tensor2D;
  const kernel = saved[k++] as tf.Tensor2D;
  const rk = saved[k++] as tf.Tensor2D;
  const h0 = saved[k++] as tf.Tensor2D;
  const c0 = saved[k++] as tf.Tensor2D;
  const mask = withMask ? (saved[k++] as tf.Tensor3D) : null;
  const part = (i: number) => saved.slice(k + i * t, k + (i + 1) * t) as tf.Tensor2D[];
  const [acts, raws, hs, cs] = [part(0), part(1), part(2), part(3)];
  const rows = dy.shape[0];
  const row = (r: number) => tf.reshape(tf.slice(dy, [r, 0, 0], [1, b, u]), [b, u]) as tf.Tensor2D;
  let dh = row(rows - 2);
  let dc = row(rows - 1);
  const rkT = tf.transpose(rk); // [4u, u], explicit: wasm's transposed matmul is slow
  const dzs: tf.Tensor2D[] = new Array(t);
  for (let s = t - 1; s >= 0; s--) {
    const inputs: Record<string, tf.Tensor> = {
      act: acts[s] as tf.Tensor2D,
      cPrev: s > 0 ? (cs[s - 1] as tf.Tensor2D) : c0,
      cRaw: raws[s] as tf.Tensor2D,
      dh,
      dc,
      dy,
    };
    if (mask) inputs.mask = mask;
    const [dz, dhSkip, dcPrev] = run(LSTM_STEP_GRAD, inputs, {
      step: s,
      dyRow: wantSeq ? s : -1,
    }) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    dzs[s] = dz;
    const back = tf.matMul(dz, rkT); // [b, u]
    dh = (mask ? tf.add(back, dhSkip) : back) as tf.Tensor2D;
    dc = dcPrev;
  }
  return sequenceGrads({ dzs, x2, kernel, h0, hs, dh, dc, mask }, t, b, inSize);
}

/**
 * The op's gradients once BPTT has produced each step's gate gradient `dzs[s]` ([b, 4u]): input,
 * kernel, recurrent kernel and bias (one big matmul each over all steps), the initial state's
 * `dh`, `dc`, and a zero gradient for the mask. Shared by the fused and the tf-ops backward.
 */
export function sequenceGrads(
  g: {
    dzs: tf.Tensor2D[];
    x2: tf.Tensor2D;
    kernel: tf.Tensor2D;
    h0: tf.Tensor2D;
    hs: tf.Tensor2D[];
    dh: tf.Tensor2D;
    dc: tf.Tensor2D;
    mask: tf.Tensor | null;
  },
  t: number,
  b: number,
  inSize: number,
): tf.Tensor[] {
  const { dzs, x2, kernel, h0, hs, dh, dc, mask } = g;
  const dZ = tf.concat(dzs, 0) as tf.Tensor2D; // [t*b, 4u]
  const hPrevAll = tf.concat([h0, ...hs.slice(0, t - 1)], 0) as tf.Tensor2D; // [t*b, u]
  const dKernel = tf.matMul(tf.transpose(x2), dZ); // [in, 4u]
  const dRk = tf.matMul(tf.transpose(hPrevAll), dZ); // [u, 4u]
  const dBias = tf.sum(dZ, 0); // [4u]
  const dx = tf.reshape(tf.matMul(dZ, tf.transpose(kernel)), [t, b, inSize]); // [t, b, in]
  const grads: tf.Tensor[] = [dx, dKernel, dRk, dBias, dh, dc];
  if (mask) grads.push(tf.zerosLike(mask));
  return grads;
}
