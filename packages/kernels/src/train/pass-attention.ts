// The attention stage of a pass: dot attention over the encoder memory (scores [b, L, S], softmax
// with the source PAD mask, context [L·b, d]) and the tanh combine with the decoder output, then
// the combine's dropout; forward and backward. Without attention the decoder output goes on.
import type { Pass } from './pass-context';
import type { EncoderState } from './pass-encoder';

/** Masked attention logit, as @seqlab/seq2seq's attention uses (finite: a fully masked row stays NaN-free). */
const MASK_NEG = -1e9;

/** The attention's forward state (offsets 0 where there is no attention or no dropout). */
export interface AttentionState {
  KEYS: number;
  ATT: number;
  CTX: number;
  /** The combined output before dropout [L·b, H], and its dropout mask. */
  HF0: number;
  D3: number;
  /** What the output layer reads [L·b, H]. */
  HF: number;
}

/** Attention and combine (when the config has them) and the output dropout, forward. */
export function attentionForward(p: Pass, enc: EncoderState, Q: number): AttentionState {
  const { pool, b, S, L, H, d, dot, raw, P, fill, dmask, maskS } = p;
  const { MEM } = enc;
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
  return { KEYS, ATT, CTX, HF0, D3, HF };
}

/**
 * Attention backward from the output layer's input gradient dHF (overwritten): the combine,
 * attention and key gradients; returns the queries' gradient and the memory's.
 */
export function attentionBackward(
  p: Pass,
  enc: EncoderState,
  Q: number,
  att: AttentionState,
  dHF: number,
): { dQ: number; dMEM: number } {
  const { pool, b, S, L, H, d, dot, raw, zeros, P, G } = p;
  const { MEM } = enc;
  const { KEYS, ATT, CTX, HF0, D3 } = att;
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
  return { dQ, dMEM };
}
