// One LSTM direction over a whole sequence on the kernels, forward and backward: the input
// projection as one GEMM, then per step one recurrent GEMM and one fused gate kernel; no
// allocation per step (every buffer is a byte offset the caller allocated).
import type { KernelPool } from './pool';

/** Buffers and weights of one LSTM direction over T steps of b rows (byte offsets). */
export interface LstmRun {
  T: number;
  b: number;
  h: number;
  /** Input [T·b, inW], rows time-major (t·b + row). */
  x: number;
  inW: number;
  /** Keras layout, gates i, f, g, o: W [inW, 4h], U [h, 4h], bias [4h]. */
  W: number;
  U: number;
  bias: number;
  /** Output h_t at y + 4·t·b·ldy (row stride ldy, which h0 shares). */
  y: number;
  ldy: number;
  /** Initial state: h0 [b, ldy-strided], c0 [b, h]; h0Zero skips its gradient terms. */
  h0: number;
  c0: number;
  h0Zero: boolean;
  /** Process t = T−1 … 0 (the backward direction; outputs stay in time order). */
  reverse: boolean;
  /** f32 [T·b] (1 = token, 0 = PAD: the state carries over), or 0 for none. */
  mask: number;
  /** Saved for backward: pre-activations / gates [T·b, 4h], tanh(c') and c [T·b, h]. */
  z: number;
  act: number;
  tc: number;
  cs: number;
}

const order = (r: LstmRun): number[] => {
  const ts = Array.from({ length: r.T }, (_, t) => t);
  return r.reverse ? ts.reverse() : ts;
};
/** The step processed before t (−1: the initial state). */
const prevStep = (r: LstmRun, t: number): number =>
  r.reverse ? (t === r.T - 1 ? -1 : t + 1) : t - 1;

/** Forward: y, cs, act, tc for every step. */
export function lstmForward(pool: KernelPool, r: LstmRun): void {
  const { T, b, h, inW } = r;
  const G = 4 * h;
  const z = pool.f32(r.z, T * b * G);
  const bias = pool.f32(r.bias, G);
  for (let row = 0; row < T * b; row++) z.set(bias, row * G);
  pool.gemm(
    { at: r.x, rs: inW, cs: 1 },
    { at: r.W, rs: G, cs: 1 },
    { at: r.z, ld: G },
    T * b,
    G,
    inW,
    true,
  );
  const ws = pool.gemmWorkspace;
  for (const t of order(r)) {
    const p = prevStep(r, t);
    const hp = p < 0 ? r.h0 : r.y + 4 * p * b * r.ldy;
    const cp = p < 0 ? r.c0 : r.cs + 4 * p * b * h;
    // z_t += h_prev · U and the gates, one dispatch: each thread owns a slice of hidden units.
    pool.run(
      'lstm_step_f',
      r.z + 4 * t * b * G,
      r.act + 4 * t * b * G,
      r.tc + 4 * t * b * h,
      cp,
      r.cs + 4 * t * b * h,
      hp,
      r.y + 4 * t * b * r.ldy,
      r.ldy,
      r.mask ? r.mask + 4 * t * b : 0,
      b,
      h,
      r.U,
      ws,
    );
  }
}

/** Gradient buffers of one direction (accumulated into: the caller zeroes them once). */
export interface LstmGrads {
  W: number;
  U: number;
  bias: number;
}

/**
 * Backward: dy [T·b, ·] (row stride ldd, or 0) is the loss gradient of each output; dh [b, h] and
 * dc [b, h] hold the final state's gradient on entry and the initial state's on return; dz
 * [T·b, 4h] is scratch. Adds the weight gradients into g and, when dx ≠ 0, dz · Wᵀ into (acc)
 * or onto dx [T·b, inW].
 */
export function lstmBackward(
  pool: KernelPool,
  r: LstmRun,
  dy: number,
  ldd: number,
  dh: number,
  dc: number,
  dz: number,
  g: LstmGrads,
  dx: number,
  dxAcc: boolean,
): void {
  const { T, b, h, inW } = r;
  const G = 4 * h;
  const ws = pool.gemmWorkspace;
  let dzn = 0; // dz of the step processed just before, in backward order
  for (const t of order(r).reverse()) {
    const p = prevStep(r, t);
    const cp = p < 0 ? r.c0 : r.cs + 4 * p * b * h;
    const dzt = dz + 4 * t * b * G;
    // dh += dz_next · Uᵀ, then this step's gate gradients: one dispatch, per slice of units.
    pool.run(
      'lstm_step_b',
      r.act + 4 * t * b * G,
      r.tc + 4 * t * b * h,
      cp,
      dy ? dy + 4 * t * b * ldd : 0,
      ldd,
      dh,
      dc,
      r.mask ? r.mask + 4 * t * b : 0,
      dzt,
      dzn,
      b,
      h,
      r.U,
      ws,
    );
    dzn = dzt;
  }
  // The initial state's share: dh0 += dz_first · Uᵀ.
  pool.gemm({ at: dzn, rs: G, cs: 1 }, { at: r.U, rs: 1, cs: G }, { at: dh, ld: h }, b, h, G, true);
  const rows = T * b;
  pool.gemm(
    { at: r.x, rs: 1, cs: inW },
    { at: dz, rs: G, cs: 1 },
    { at: g.W, ld: G },
    inW,
    G,
    rows,
    true,
  );
  // dU = Σ_t h_prev(t)ᵀ dz_t: the outputs shifted by one step, plus h0 at the first step.
  if (T > 1) {
    const [ys, zs] = r.reverse ? [r.y + 4 * b * r.ldy, dz] : [r.y, dz + 4 * b * G];
    pool.gemm(
      { at: ys, rs: 1, cs: r.ldy },
      { at: zs, rs: G, cs: 1 },
      { at: g.U, ld: G },
      h,
      G,
      (T - 1) * b,
      true,
    );
  }
  if (!r.h0Zero) {
    const first = r.reverse ? T - 1 : 0;
    pool.gemm(
      { at: r.h0, rs: 1, cs: r.ldy },
      { at: dz + 4 * first * b * G, rs: G, cs: 1 },
      { at: g.U, ld: G },
      h,
      G,
      b,
      true,
    );
  }
  pool.run('colsum', dz, rows, G, g.bias, 1);
  if (dx)
    pool.gemm(
      { at: dz, rs: G, cs: 1 },
      { at: r.W, rs: 1, cs: G },
      { at: dx, ld: inW },
      rows,
      inW,
      G,
      dxAcc,
    );
}
