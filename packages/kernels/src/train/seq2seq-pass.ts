// The seq2seq forward and backward pass on the kernels (time-major rows t·b + i throughout):
// embeddings → (bi)LSTM encoder → bridge → LSTM decoder → dot attention → combine → output
// layer → softmax cross-entropy, then every gradient back into the flat gradient block.
import { BOS, makeRng } from '@seqlab/text';
import { type LstmRun, lstmBackward, lstmForward } from './lstm-seq';
import type { KernelPool } from './pool';
import type { KernelSeq2SeqConfig } from './seq2seq-layout';

/** Byte offsets of the flat parameter, gradient and moment blocks, and each parameter's float offset. */
export interface StepBuffers {
  P: number;
  G: number;
  M: number;
  V: number;
  blocks: number;
  at: Record<string, number>;
}

/** Masked attention logit, as @seqlab/seq2seq's attention uses (finite: a fully masked row stays NaN-free). */
const MASK_NEG = -1e9;

/**
 * Loss of `batch` (mean over non-PAD target tokens, label smoothing and dropout when training)
 * with every gradient written into the gradient block (zeroed first). Allocates its activations
 * after the pool's current mark; the caller resets it.
 */
export function forwardBackward(
  pool: KernelPool,
  c: KernelSeq2SeqConfig,
  buf: StepBuffers,
  total: number,
  batch: { src: readonly (readonly number[])[]; tgt: readonly (readonly number[])[] },
  opts: { training: boolean; seed: number },
): number {
  const b = batch.src.length;
  if (b === 0 || batch.tgt.length !== b)
    throw new Error(
      `KernelTrainStep: expected as many src as tgt rows (≥ 1), got ${b} and ${batch.tgt.length}`,
    );
  const S = Math.max(1, ...batch.src.map((r) => r.length));
  const L = Math.max(1, ...batch.tgt.map((r) => r.length));
  const { embDim: E, encoderHidden: h, hidden: H, tgtVocab: V } = c;
  const dirs = c.bidirectional ? 2 : 1;
  const d = h * dirs;
  const dense = (c.bridge ?? 'dense') === 'dense';
  const dot = c.attention === 'dot';
  const drop = opts.training ? c.dropout : 0;
  const eps = opts.training ? c.labelSmoothing : 0;
  const rng = makeRng(opts.seed); // the dropout masks: seeded per step, so a run is reproducible
  const raw = (n: number) => pool.alloc(n, false);
  const zeros = (n: number) => pool.alloc(n);
  const P = (name: string) => buf.P + 4 * (buf.at[name] as number);
  const G = (name: string) => buf.G + 4 * (buf.at[name] as number);
  const fill = (at: number, rows: number, bias: number, n: number) => {
    const out = pool.f32(at, rows * n);
    const v = pool.f32(bias, n);
    for (let r = 0; r < rows; r++) out.set(v, r * n);
  };
  const copyRows = (
    dst: number,
    ldd: number,
    src: number,
    lds: number,
    rows: number,
    n: number,
  ) => {
    const o = pool.f32(dst, (rows - 1) * ldd + n);
    const s = pool.f32(src, (rows - 1) * lds + n);
    for (let r = 0; r < rows; r++) o.set(s.subarray(r * lds, r * lds + n), r * ldd);
  };
  const dmask = (n: number): number => {
    if (!(drop > 0)) return 0;
    const at = raw(n);
    const m = pool.f32(at, n);
    const keep = 1 / (1 - drop);
    for (let i = 0; i < n; i++) m[i] = rng() < drop ? 0 : keep;
    return at;
  };
  const gather = (table: string, vocab: number, ids: number, rows: number): number => {
    const out = raw(rows * E);
    const o = pool.f32(out, rows * E);
    const t = pool.f32(P(table), vocab * E);
    const iv = pool.i32(ids, rows);
    for (let r = 0; r < rows; r++) {
      const id = iv[r] as number;
      o.set(t.subarray(id * E, id * E + E), r * E);
    }
    return out;
  };

  // Ids, time-major: src [S·b] with its mask, decoder input (BOS + shifted target) and target [L·b].
  const idsS = raw(S * b);
  const maskS = raw(S * b);
  const idsIn = raw(L * b);
  const idsOut = raw(L * b);
  {
    const [is, ms, ii, io] = [
      pool.i32(idsS, S * b),
      pool.f32(maskS, S * b),
      pool.i32(idsIn, L * b),
      pool.i32(idsOut, L * b),
    ];
    const id = (rows: typeof batch.src, i: number, t: number, vocab: number) => {
      const v = rows[i]?.[t] ?? 0;
      if (!Number.isInteger(v) || v < 0 || v >= vocab)
        throw new Error(
          `KernelTrainStep: row ${i} position ${t}: expected an id in [0, ${vocab}), got ${v}`,
        );
      return v;
    };
    for (let t = 0; t < S; t++)
      for (let i = 0; i < b; i++) {
        is[t * b + i] = id(batch.src, i, t, c.srcVocab);
        ms[t * b + i] = is[t * b + i] === 0 ? 0 : 1;
      }
    for (let t = 0; t < L; t++)
      for (let i = 0; i < b; i++) {
        io[t * b + i] = id(batch.tgt, i, t, V);
        ii[t * b + i] = t === 0 ? BOS : id(batch.tgt, i, t - 1, V);
      }
  }
  pool.f32(buf.G, total).fill(0);

  // ---- encoder
  const zeroH = zeros(b * Math.max(d, H));
  const encRuns: LstmRun[][] = [];
  const encDrops: number[] = [];
  let x = gather('encoder/embedding', c.srcVocab, idsS, S * b); // [S·b, E]
  let inW = E;
  for (let l = 0; l < c.encoderLayers; l++) {
    const D = dmask(S * b * inW);
    encDrops.push(D);
    if (D) {
      if (l > 0) {
        const xl = raw(S * b * inW);
        pool.f32(xl, S * b * inW).set(pool.f32(x, S * b * inW));
        x = xl;
      }
      pool.run('mulv', x, D, S * b * inW);
    }
    const Y = raw(S * b * d); // [S·b, d]: fwd outputs, then bwd outputs in time order
    const runs: LstmRun[] = [];
    for (let dir = 0; dir < dirs; dir++) {
      const p = `encoder/layer${l}/${dir === 0 ? 'fwd' : 'bwd'}`;
      const r: LstmRun = {
        T: S,
        b,
        h,
        x,
        inW,
        W: P(`${p}/kernel`),
        U: P(`${p}/recurrent_kernel`),
        bias: P(`${p}/bias`),
        y: Y + 4 * dir * h,
        ldy: d,
        h0: zeroH,
        c0: zeroH,
        h0Zero: true,
        reverse: dir === 1,
        mask: maskS,
        z: raw(S * b * 4 * h),
        act: raw(S * b * 4 * h),
        tc: raw(S * b * h),
        cs: raw(S * b * h),
      };
      lstmForward(pool, r);
      runs.push(r);
    }
    encRuns.push(runs);
    x = Y;
    inW = d;
  }
  const MEM = x; // [S·b, d]
  const top = encRuns[encRuns.length - 1] as LstmRun[];
  const SUM = raw(b * d); // final hidden states [fwd; bwd]
  top.forEach((r, dir) => {
    const last = r.reverse ? 0 : S - 1;
    copyRows(SUM + 4 * dir * h, d, r.y + 4 * last * b * d, d, b, h);
  });

  // ---- decoder
  const decRuns: LstmRun[] = [];
  const decDrops: number[] = [];
  x = gather('decoder/embedding', V, idsIn, L * b); // [L·b, E]
  inW = E;
  for (let l = 0; l < c.decoderLayers; l++) {
    const D = dmask(L * b * inW);
    decDrops.push(D);
    if (D) {
      if (l > 0) {
        const xl = raw(L * b * inW);
        pool.f32(xl, L * b * inW).set(pool.f32(x, L * b * inW));
        x = xl;
      }
      pool.run('mulv', x, D, L * b * inW);
    }
    const YD = raw((L + 1) * b * H); // h0, then the outputs
    const C0 = raw(b * H);
    if (dense) {
      const br = `decoder/bridge${l}`;
      fill(YD, b, P(`${br}/h_bias`), H);
      pool.gemm(
        { at: SUM, rs: d, cs: 1 },
        { at: P(`${br}/h_kernel`), rs: H, cs: 1 },
        { at: YD, ld: H },
        b,
        H,
        d,
        true,
      );
      pool.run('tanhf', YD, b * H);
      fill(C0, b, P(`${br}/c_bias`), H);
      pool.gemm(
        { at: SUM, rs: d, cs: 1 },
        { at: P(`${br}/c_kernel`), rs: H, cs: 1 },
        { at: C0, ld: H },
        b,
        H,
        d,
        true,
      );
    } else {
      const er = (encRuns[l] as LstmRun[])[0] as LstmRun;
      copyRows(YD, H, er.y + 4 * (S - 1) * b * er.ldy, er.ldy, b, H);
      copyRows(C0, H, er.cs + 4 * (S - 1) * b * h, h, b, H);
    }
    const p = `decoder/layer${l}`;
    const r: LstmRun = {
      T: L,
      b,
      h: H,
      x,
      inW,
      W: P(`${p}/kernel`),
      U: P(`${p}/recurrent_kernel`),
      bias: P(`${p}/bias`),
      y: YD + 4 * b * H,
      ldy: H,
      h0: YD,
      c0: C0,
      h0Zero: false,
      reverse: false,
      mask: 0,
      z: raw(L * b * 4 * H),
      act: raw(L * b * 4 * H),
      tc: raw(L * b * H),
      cs: raw(L * b * H),
    };
    lstmForward(pool, r);
    decRuns.push(r);
    x = r.y;
    inW = H;
  }
  const Q = x; // [L·b, H] decoder outputs (the attention queries)

  // ---- attention (dot): scores [b, L, S], weights in place, context [L·b, d], combine tanh
  let KEYS = 0;
  let ATT = 0;
  let CTX = 0;
  let HF0 = Q;
  if (dot) {
    const Wc = P('decoder/combine/kernel');
    KEYS = raw(S * b * H);
    pool.gemm(
      { at: MEM, rs: d, cs: 1 },
      { at: P('decoder/attention/wk'), rs: H, cs: 1 },
      { at: KEYS, ld: H },
      S * b,
      H,
      d,
      false,
    );
    ATT = raw(b * L * S);
    pool.gemm(
      { at: Q, rs: b * H, cs: 1, bs: H },
      { at: KEYS, rs: 1, cs: b * H, bs: H },
      { at: ATT, ld: S, bs: L * S },
      L,
      S,
      H,
      false,
      b,
    );
    const a = pool.f32(ATT, b * L * S);
    const m = pool.f32(maskS, S * b);
    for (let i = 0; i < b; i++)
      for (let t = 0; t < L; t++) {
        const o = (i * L + t) * S;
        let mx = Number.NEGATIVE_INFINITY;
        for (let s = 0; s < S; s++) {
          const v = Math.fround((a[o + s] as number) + (m[s * b + i] ? 0 : MASK_NEG));
          a[o + s] = v;
          if (v > mx) mx = v;
        }
        let sum = 0;
        for (let s = 0; s < S; s++) {
          const e = Math.exp((a[o + s] as number) - mx);
          a[o + s] = e;
          sum += e;
        }
        for (let s = 0; s < S; s++) a[o + s] = (a[o + s] as number) / sum;
      }
    CTX = raw(L * b * d);
    pool.gemm(
      { at: ATT, rs: S, cs: 1, bs: L * S },
      { at: MEM, rs: b * d, cs: 1, bs: d },
      { at: CTX, ld: b * d, bs: d },
      L,
      d,
      S,
      false,
      b,
    );
    HF0 = raw(L * b * H);
    fill(HF0, L * b, P('decoder/combine/bias'), H);
    pool.gemm(
      { at: Q, rs: H, cs: 1 },
      { at: Wc, rs: H, cs: 1 },
      { at: HF0, ld: H },
      L * b,
      H,
      H,
      true,
    );
    pool.gemm(
      { at: CTX, rs: d, cs: 1 },
      { at: Wc + 4 * H * H, rs: H, cs: 1 },
      { at: HF0, ld: H },
      L * b,
      H,
      d,
      true,
    );
    pool.run('tanhf', HF0, L * b * H);
  }
  const D3 = dmask(L * b * H);
  let HF = HF0;
  if (D3) {
    HF = raw(L * b * H);
    pool.f32(HF, L * b * H).set(pool.f32(HF0, L * b * H));
    pool.run('mulv', HF, D3, L * b * H);
  }

  // ---- output layer and loss, on the non-PAD target rows only (a PAD row adds nothing to the
  // loss and has zero gradient, so skipping it is the same math with fewer FLOPs); the logits
  // become their gradient in place.
  // Plain arrays, not views: a view dies when an allocation below grows the memory.
  const rowsAt: number[] = [];
  const targets: number[] = [];
  pool.i32(idsOut, L * b).forEach((t, r) => {
    if (t !== 0) {
      rowsAt.push(r);
      targets.push(t);
    }
  });
  const n = rowsAt.length;
  const scale = 1 / Math.max(n, 1);
  const Wout = P('decoder/out/kernel');
  const all = n === L * b; // no PAD target: use the rows where they are
  const dHF = all ? raw(L * b * H) : zeros(L * b * H); // PAD rows keep a zero gradient
  let loss = 0;
  if (n > 0) {
    const HFc = all ? HF : raw(n * H); // [n, H] the rows that have a target
    const ids = all ? idsOut : raw(n);
    if (!all) {
      const src = pool.f32(HF, L * b * H);
      const dst = pool.f32(HFc, n * H);
      const iv = pool.i32(ids, n);
      rowsAt.forEach((r, k) => {
        dst.set(src.subarray(r * H, r * H + H), k * H);
        iv[k] = targets[k] as number;
      });
    }
    const LOG = raw(n * V);
    fill(LOG, n, P('decoder/out/bias'), V);
    pool.gemm(
      { at: HFc, rs: H, cs: 1 },
      { at: Wout, rs: V, cs: 1 },
      { at: LOG, ld: V },
      n,
      V,
      H,
      true,
    );
    const STATS = raw(n * 4);
    pool.run('xent', LOG, ids, n, V, eps, scale, STATS);
    const st = pool.f32(STATS, n * 4);
    let lossSum = 0;
    for (let r = 0; r < n; r++) {
      const [mx, se, xt, sx] = [st[4 * r], st[4 * r + 1], st[4 * r + 2], st[4 * r + 3]] as number[];
      lossSum +=
        (mx as number) +
        Math.log(se as number) -
        (1 - eps) * (xt as number) -
        (eps * (sx as number)) / V;
    }
    loss = lossSum * scale;

    // ---- backward: output layer
    pool.gemm(
      { at: HFc, rs: 1, cs: H },
      { at: LOG, rs: V, cs: 1 },
      { at: G('decoder/out/kernel'), ld: V },
      H,
      V,
      n,
      true,
    );
    pool.run('colsum', LOG, n, V, G('decoder/out/bias'), 1);
    const dHFc = all ? dHF : raw(n * H);
    pool.gemm(
      { at: LOG, rs: V, cs: 1 },
      { at: Wout, rs: 1, cs: V },
      { at: dHFc, ld: H },
      n,
      H,
      V,
      false,
    );
    if (!all) {
      const src = pool.f32(dHFc, n * H);
      const dst = pool.f32(dHF, L * b * H);
      rowsAt.forEach((r, k) => {
        dst.set(src.subarray(k * H, k * H + H), r * H);
      });
    }
  }

  // ---- attention backward
  let dQ = dHF;
  let dMEM: number;
  if (dot) {
    const Wc = P('decoder/combine/kernel');
    const gWc = G('decoder/combine/kernel');
    pool.run('tanhb', HF0, dHF, D3, L * b * H); // dHF ← pre-activation gradient
    pool.gemm(
      { at: Q, rs: 1, cs: H },
      { at: dHF, rs: H, cs: 1 },
      { at: gWc, ld: H },
      H,
      H,
      L * b,
      true,
    );
    pool.gemm(
      { at: CTX, rs: 1, cs: d },
      { at: dHF, rs: H, cs: 1 },
      { at: gWc + 4 * H * H, ld: H },
      d,
      H,
      L * b,
      true,
    );
    pool.run('colsum', dHF, L * b, H, G('decoder/combine/bias'), 1);
    dQ = raw(L * b * H);
    pool.gemm(
      { at: dHF, rs: H, cs: 1 },
      { at: Wc, rs: 1, cs: H },
      { at: dQ, ld: H },
      L * b,
      H,
      H,
      false,
    );
    const dCTX = raw(L * b * d);
    pool.gemm(
      { at: dHF, rs: H, cs: 1 },
      { at: Wc + 4 * H * H, rs: 1, cs: H },
      { at: dCTX, ld: d },
      L * b,
      d,
      H,
      false,
    );
    const dATT = raw(b * L * S);
    pool.gemm(
      { at: dCTX, rs: b * d, cs: 1, bs: d },
      { at: MEM, rs: 1, cs: b * d, bs: d },
      { at: dATT, ld: S, bs: L * S },
      L,
      S,
      d,
      false,
      b,
    );
    dMEM = raw(S * b * d);
    pool.gemm(
      { at: ATT, rs: 1, cs: S, bs: L * S },
      { at: dCTX, rs: b * d, cs: 1, bs: d },
      { at: dMEM, ld: b * d, bs: d },
      S,
      d,
      L,
      false,
      b,
    );
    const a = pool.f32(ATT, b * L * S);
    const da = pool.f32(dATT, b * L * S);
    for (let o = 0; o < b * L * S; o += S) {
      let dotp = 0;
      for (let s = 0; s < S; s++) dotp += (a[o + s] as number) * (da[o + s] as number);
      for (let s = 0; s < S; s++) da[o + s] = (a[o + s] as number) * ((da[o + s] as number) - dotp);
    }
    pool.gemm(
      { at: dATT, rs: S, cs: 1, bs: L * S },
      { at: KEYS, rs: b * H, cs: 1, bs: H },
      { at: dQ, ld: b * H, bs: H },
      L,
      H,
      S,
      true,
      b,
    );
    const dKEYS = raw(S * b * H);
    pool.gemm(
      { at: dATT, rs: 1, cs: S, bs: L * S },
      { at: Q, rs: b * H, cs: 1, bs: H },
      { at: dKEYS, ld: b * H, bs: H },
      S,
      H,
      L,
      false,
      b,
    );
    pool.gemm(
      { at: MEM, rs: 1, cs: d },
      { at: dKEYS, rs: H, cs: 1 },
      { at: G('decoder/attention/wk'), ld: H },
      d,
      H,
      S * b,
      true,
    );
    pool.gemm(
      { at: dKEYS, rs: H, cs: 1 },
      { at: P('decoder/attention/wk'), rs: 1, cs: H },
      { at: dMEM, ld: d },
      S * b,
      d,
      H,
      true,
    );
  } else {
    if (D3) pool.run('mulv', dQ, D3, L * b * H);
    dMEM = zeros(S * b * d);
  }

  // ---- decoder backward (top layer down), bridges
  const dSUM = zeros(b * d);
  const finalGrads: { dh: number; dc: number }[] = [];
  let dy = dQ;
  for (let l = c.decoderLayers - 1; l >= 0; l--) {
    const r = decRuns[l] as LstmRun;
    const p = `decoder/layer${l}`;
    const dh = zeros(b * H);
    const dc = zeros(b * H);
    const dx = raw(L * b * r.inW);
    const g = { W: G(`${p}/kernel`), U: G(`${p}/recurrent_kernel`), bias: G(`${p}/bias`) };
    lstmBackward(pool, r, dy, H, dh, dc, raw(L * b * 4 * H), g, dx, false);
    const D = decDrops[l] as number;
    if (D) pool.run('mulv', dx, D, L * b * r.inW);
    if (l === 0) pool.run('embgrad', dx, E, idsIn, L * b, E, G('decoder/embedding'));
    dy = dx;
    if (dense) {
      const br = `decoder/bridge${l}`;
      pool.run('tanhb', r.h0, dh, 0, b * H);
      pool.gemm(
        { at: SUM, rs: 1, cs: d },
        { at: dh, rs: H, cs: 1 },
        { at: G(`${br}/h_kernel`), ld: H },
        d,
        H,
        b,
        true,
      );
      pool.run('colsum', dh, b, H, G(`${br}/h_bias`), 1);
      pool.gemm(
        { at: SUM, rs: 1, cs: d },
        { at: dc, rs: H, cs: 1 },
        { at: G(`${br}/c_kernel`), ld: H },
        d,
        H,
        b,
        true,
      );
      pool.run('colsum', dc, b, H, G(`${br}/c_bias`), 1);
      pool.gemm(
        { at: dh, rs: H, cs: 1 },
        { at: P(`${br}/h_kernel`), rs: 1, cs: H },
        { at: dSUM, ld: d },
        b,
        d,
        H,
        true,
      );
      pool.gemm(
        { at: dc, rs: H, cs: 1 },
        { at: P(`${br}/c_kernel`), rs: 1, cs: H },
        { at: dSUM, ld: d },
        b,
        d,
        H,
        true,
      );
    } else finalGrads[l] = { dh, dc };
  }

  // ---- encoder backward (top layer down)
  let dyE = dMEM;
  for (let l = c.encoderLayers - 1; l >= 0; l--) {
    const runs = encRuns[l] as LstmRun[];
    const lin = (runs[0] as LstmRun).inW;
    const dx = raw(S * b * lin);
    const dz = raw(S * b * 4 * h);
    runs.forEach((r, dir) => {
      const p = `encoder/layer${l}/${dir === 0 ? 'fwd' : 'bwd'}`;
      const dh = zeros(b * h);
      const dc = zeros(b * h);
      if (dense && l === c.encoderLayers - 1) copyRows(dh, h, dSUM + 4 * dir * h, d, b, h);
      const fg = finalGrads[l];
      if (!dense && fg) {
        pool.f32(dh, b * h).set(pool.f32(fg.dh, b * h));
        pool.f32(dc, b * h).set(pool.f32(fg.dc, b * h));
      }
      const g = { W: G(`${p}/kernel`), U: G(`${p}/recurrent_kernel`), bias: G(`${p}/bias`) };
      lstmBackward(pool, r, dyE + 4 * dir * h, d, dh, dc, dz, g, dx, dir > 0);
    });
    const D = encDrops[l] as number;
    if (D) pool.run('mulv', dx, D, S * b * lin);
    if (l === 0) pool.run('embgrad', dx, E, idsS, S * b, E, G('encoder/embedding'));
    dyE = dx;
  }
  return loss;
}
