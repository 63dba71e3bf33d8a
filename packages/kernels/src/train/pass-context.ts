// One seq2seq training pass's shared state on the kernels: the batch checked and laid out
// time-major (rows t·b + i), the sizes, and the helpers every stage uses (allocation after the
// pool's mark, parameter and gradient offsets, dropout masks from the step's seeded stream).
import { BOS, makeRng } from '@seqlab/text';
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

/** What every stage of a pass reads: sizes, ids, and the allocation and lookup helpers. */
export interface Pass {
  pool: KernelPool;
  c: KernelSeq2SeqConfig;
  /** Batch rows, source and target lengths (padded). */
  b: number;
  S: number;
  L: number;
  E: number;
  /** Encoder units per direction, decoder units, target vocabulary, encoder output width. */
  h: number;
  H: number;
  V: number;
  d: number;
  dirs: number;
  dense: boolean;
  dot: boolean;
  /** Label smoothing of this pass (0 when not training). */
  eps: number;
  /** Floats after the pool's mark: uninitialised, or zeroed. */
  raw(n: number): number;
  zeros(n: number): number;
  /** Byte offset of a parameter, and of its gradient. */
  P(name: string): number;
  G(name: string): number;
  /** rows copies of the n-float vector at `bias` into `at`. */
  fill(at: number, rows: number, bias: number, n: number): void;
  copyRows(dst: number, ldd: number, src: number, lds: number, rows: number, n: number): void;
  /** An inverted-dropout mask of n floats (0 when this pass has no dropout). */
  dmask(n: number): number;
  /** Embedding rows of `table` for the int32 ids at `ids`: [rows, E]. */
  gather(table: string, vocab: number, ids: number, rows: number): number;
  /** int32 source ids [S·b], their float mask, decoder input (BOS + shifted target), targets [L·b]. */
  idsS: number;
  maskS: number;
  idsIn: number;
  idsOut: number;
}

/**
 * Checks `batch`, lays it out and zeroes the gradient block (`total` floats): the start of
 * every pass. Allocates after the pool's current mark; the caller resets it.
 */
export function beginPass(
  pool: KernelPool,
  c: KernelSeq2SeqConfig,
  buf: StepBuffers,
  total: number,
  batch: { src: readonly (readonly number[])[]; tgt: readonly (readonly number[])[] },
  opts: { training: boolean; seed: number },
): Pass {
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
  return {
    ...{ pool, c, b, S, L, E, h, H, V, d, dirs, dense, dot, eps },
    ...{ raw, zeros, P, G, fill, copyRows, dmask, gather },
    ...{ idsS, maskS, idsIn, idsOut },
  };
}
