// The decoder stage of a pass: embeddings → bridge from the encoder (dense or copied states) →
// LSTM layers with dropout between, forward and backward (time-major rows t·b + i).
import { type LstmRun, lstmBackward, lstmForward } from './lstm-seq';
import type { Pass } from './pass-context';
import type { EncoderState } from './pass-encoder';

/** The decoder's forward state: per layer its run and dropout mask, and the top outputs. */
export interface DecoderState {
  decRuns: LstmRun[];
  decDrops: number[];
  /** The top layer's outputs [L·b, H] (the attention queries). */
  Q: number;
}

/** Decoder embeddings, bridges and every decoder layer, forward. */
export function decoderForward(p: Pass, enc: EncoderState): DecoderState {
  const { pool, c, b, S, L, E, h, H, V, d, dense, raw, P, fill, copyRows, dmask, gather, idsIn } =
    p;
  const { encRuns, SUM } = enc;
  const decRuns: LstmRun[] = [];
  const decDrops: number[] = [];
  let x = gather('decoder/embedding', V, idsIn, L * b); // [L·b, E]
  let inW = E;
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
  return { decRuns, decDrops, Q };
}

/**
 * Decoder backward from the queries' gradient dQ, into every decoder and bridge gradient; returns
 * the encoder summary's gradient (dense bridge) or the final states' gradients (copy bridge).
 */
export function decoderBackward(
  p: Pass,
  enc: EncoderState,
  dec: DecoderState,
  dQ: number,
): { dSUM: number; finalGrads: { dh: number; dc: number }[] } {
  const { pool, c, b, L, E, H, d, dense, raw, zeros, P, G, idsIn } = p;
  const { SUM } = enc;
  const { decRuns, decDrops } = dec;
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
  return { dSUM, finalGrads };
}
