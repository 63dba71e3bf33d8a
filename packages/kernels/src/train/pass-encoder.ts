// The encoder stage of a pass: embeddings → (bi)LSTM layers with dropout between, forward and
// backward (time-major rows t·b + i).
import { type LstmRun, lstmBackward, lstmForward } from './lstm-seq';
import type { Pass } from './pass-context';

/** The encoder's forward state: per layer its direction runs and dropout mask, memory, summary. */
export interface EncoderState {
  encRuns: LstmRun[][];
  encDrops: number[];
  /** The top layer's outputs [S·b, d] (the attention memory). */
  MEM: number;
  /** The top layer's final hidden states [b, d]: forward's last step, backward's first. */
  SUM: number;
}

/** Embeddings and every encoder layer, forward. */
export function encoderForward(p: Pass): EncoderState {
  const { pool, c, b, S, E, h, H, d, dirs, raw, zeros, P, copyRows, dmask, gather, idsS, maskS } =
    p;
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
  return { encRuns, encDrops, MEM, SUM };
}

/**
 * Encoder backward from the memory's gradient dMEM and, with a dense bridge, the summary's dSUM
 * (else the final states' gradients from a copy bridge), into every encoder gradient.
 */
export function encoderBackward(
  p: Pass,
  enc: EncoderState,
  dMEM: number,
  dSUM: number,
  finalGrads: { dh: number; dc: number }[],
): void {
  const { pool, c, b, S, E, h, d, dense, raw, zeros, G, copyRows, idsS } = p;
  const { encRuns, encDrops } = enc;
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
}
