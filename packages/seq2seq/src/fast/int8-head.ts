// An int8 copy of a decoder's output layer, for decoding on the host (cpu and wasm backends).
// One WebAssembly SIMD kernel computes every logit from int8 weights (a quarter of the float32
// bytes, which is what a single sentence's decoding waits on), and `refine` recomputes exactly
// the few logits that could still decide a pick, so greedy and beam choices match the float32
// layer's.

import { int8Module, KernelInstance, roundUp } from '@seqlab/kernels';
import { BOS, PAD } from '@seqlab/text';
import { quantizeJs } from './int8-quantize';

/** Options of {@link Int8Head.fromDense}. */
export interface Int8HeadOptions {
  /**
   * Run the WebAssembly SIMD kernel when the runtime supports it (default true). False runs the
   * JS fallback, which gives the same bits, only slower.
   */
  simd?: boolean;
}

/** The exports of int8.wat this head calls. */
interface Kernel {
  prep8(
    W: number,
    V: number,
    K: number,
    Kp: number,
    cm: number,
    scale: number,
    inv: number,
    w8: number,
    exact: number,
    l1: number,
  ): void;
  gemv(
    w: number,
    scale: number,
    bias: number,
    h: number,
    hs: number,
    out: number,
    V: number,
    Kp: number,
    b: number,
  ): void;
}

/** Logits of one call of {@link Int8Head.logits}. */
export interface Int8Logits {
  /** [rows, vocab]; each within `bounds[r]` of the exact float32 layer's value. */
  logits: Float32Array;
  /** Per row, a proven bound on |approximate − exact| (NaN where the row's input is not finite). */
  bounds: Float64Array;
}

/**
 * The output layer `logits = h · W + b` (W [inputSize, vocab]) with W stored as int8 (one scale
 * per output id) and h rounded to int16 per call: the integer sums are exact, so each logit's
 * error has a proven bound, and {@link Int8Head.refine} replaces with exact values every logit
 * that could rank among a row's n best.
 *
 * @example
 * const head = Int8Head.fromDense(await outW.data(), await outB.data(), hidden, vocab);
 * const { logits, bounds } = head.logits(h, 1);  // h: Float32Array [1, hidden]
 * head.refine(logits, h, 0, bounds[0], 1, null); // the row's argmax is now the exact one
 */
export class Int8Head {
  readonly inputSize: number;
  readonly vocab: number;
  /** True when the WebAssembly SIMD kernel runs; false for the JS fallback. */
  readonly simd: boolean;
  private readonly Kp: number;
  private readonly Vp: number;
  /** Largest |h16| allowed so that |Σ w8·h16| < 2^31 (int32 sums stay exact). */
  private readonly hMax: number;
  private readonly scale: Float32Array; // [Vp]
  private readonly bias: Float32Array; // [Vp]
  /** The float32 layer transposed [V, K]: a JS array, or (SIMD) a byte offset into the kernel's memory. */
  private readonly exactW: Float32Array | number;
  private readonly maxScale: number;
  private readonly maxRowL1: number; // max_j scale_j · Σ_k |w8[j, k]|
  private readonly maxBias: number;
  private kernel: KernelInstance<Kernel> | null;
  private w8: Int8Array | null; // the JS fallback's copy [Vp, Kp]
  private readonly offsets: { w: number; scale: number; bias: number; dyn: number };
  private rowsCap = 0;
  private disposed = false;

  private constructor(
    weights: Float32Array,
    bias: Float32Array,
    K: number,
    V: number,
    simd: boolean,
  ) {
    this.inputSize = K;
    this.vocab = V;
    this.Kp = roundUp(K, 16);
    this.Vp = roundUp(V, 4);
    this.hMax = Math.min(32767, Math.floor((2 ** 31 - 1) / (127 * this.Kp)));
    const { Kp, Vp } = this;
    this.scale = new Float32Array(Vp).fill(1);
    this.bias = new Float32Array(Vp);
    this.bias.set(bias);
    this.maxBias = bias.reduce((a, b) => Math.max(a, Math.abs(b)), 0);
    const al = (x: number) => roundUp(x, 16);
    const oScale = al(Vp * Kp);
    const oBias = oScale + 4 * Vp;
    const oExact = al(oBias + 4 * Vp);
    const oCm = al(oExact + 4 * V * K);
    const oInv = al(oCm + 4 * Vp);
    const oL1 = oInv + 8 * Vp;
    const dyn = al(oL1 + 8 * Vp);
    this.offsets = { w: 0, scale: oScale, bias: oBias, dyn };
    const mod = simd ? int8Module() : null;
    this.simd = mod !== null;
    let colMax: ArrayLike<number>;
    let l1: ArrayLike<number>;
    if (mod) {
      // The kernel's prep8 quantizes and transposes in wasm (fast even before the JIT warms up).
      const kernel = new KernelInstance<Kernel>(mod);
      this.kernel = kernel;
      this.w8 = null;
      const need = dyn + 4 * K * V; // W is staged where the per-call buffers go later
      kernel.ensure(need);
      const buf = kernel.memory.buffer;
      new Float32Array(buf, dyn, K * V).set(weights);
      new Float32Array(buf, oBias, Vp).set(this.bias);
      kernel.exports.prep8(dyn, V, K, Kp, oCm, oScale, oInv, 0, oExact, oL1);
      this.scale.set(new Float32Array(buf, oScale, V));
      colMax = new Float32Array(buf, oCm, V).slice();
      for (let j = 0; j < V; j++)
        if (!((colMax[j] as number) < Number.POSITIVE_INFINITY))
          throw new Error(
            `Int8Head: weights must be finite; found ${colMax[j]} in column ${j} (output id ${j})`,
          );
      l1 = new Float64Array(buf, oL1, V).slice();
      this.exactW = oExact;
      this.ensureRows(1);
    } else {
      this.kernel = null;
      const w8 = new Int8Array(Vp * Kp);
      const q = quantizeJs(weights, K, V, Kp, w8, this.scale);
      this.w8 = w8;
      this.exactW = q.exact;
      colMax = q.colMax;
      l1 = q.l1;
    }
    let maxScale = 0;
    let maxRowL1 = 0;
    for (let j = 0; j < V; j++) {
      const s = this.scale[j] as number;
      if ((colMax[j] as number) > 0) maxScale = Math.max(maxScale, s);
      maxRowL1 = Math.max(maxRowL1, s * (l1[j] as number));
    }
    this.maxScale = maxScale;
    this.maxRowL1 = maxRowL1;
  }

  /**
   * Build from a dense layer: `weights` [inputSize, vocab] row-major (as `h · W`), `bias` [vocab].
   * Throws on wrong lengths or non-finite weights.
   */
  static fromDense(
    weights: Float32Array,
    bias: Float32Array,
    inputSize: number,
    vocab: number,
    opts: Int8HeadOptions = {},
  ): Int8Head {
    if (!Number.isInteger(inputSize) || inputSize < 1 || !Number.isInteger(vocab) || vocab < 1)
      throw new Error(
        `Int8Head: expected positive integer sizes, got inputSize ${inputSize}, vocab ${vocab}`,
      );
    if (weights.length !== inputSize * vocab)
      throw new Error(
        `Int8Head: expected ${inputSize}×${vocab} = ${inputSize * vocab} weights, got ${weights.length}`,
      );
    if (bias.length !== vocab)
      throw new Error(`Int8Head: expected ${vocab} biases, got ${bias.length}`);
    // The weights are checked where they are read anyway (the kernel's column maxima, or here
    // for the JS fallback), not in a pass of their own.
    const simd = (opts.simd ?? true) && int8Module() !== null;
    for (const a of simd ? [bias] : [weights, bias])
      for (let i = 0; i < a.length; i++) {
        const v = a[i] as number;
        if (!(v - v === 0))
          throw new Error(`Int8Head: weights must be finite; found ${v} at index ${i}`);
      }
    return new Int8Head(weights, bias, inputSize, vocab, simd);
  }

  /** Bytes the kernel's memory must hold for `rows` rows; grows it when needed. */
  private ensureRows(rows: number): void {
    if (!this.kernel || rows <= this.rowsCap) return;
    const end = this.layout(rows).end;
    this.kernel.ensure(end);
    this.rowsCap = rows;
  }

  private layout(rows: number): { h: number; hs: number; out: number; end: number } {
    const h = this.offsets.dyn;
    const hs = h + 2 * rows * this.Kp;
    const out = roundUp(hs + 4 * rows, 16);
    return { h, hs, out, end: out + 4 * rows * this.Vp };
  }

  /**
   * Approximate logits for `rows` inputs h [rows, inputSize], with a per-row error bound. A row
   * whose input holds NaN or ±Infinity gets NaN logits (and a NaN bound), as the float32 layer.
   */
  logits(h: Float32Array, rows: number): Int8Logits {
    this.assertAlive();
    const K = this.inputSize;
    const { Kp, Vp } = this;
    const V = this.vocab;
    if (!Number.isInteger(rows) || rows < 1 || h.length !== rows * K)
      throw new Error(
        `Int8Head.logits: expected h of ${rows} × ${K} values, got ${h.length} for ${rows} rows`,
      );
    this.ensureRows(rows);
    const at = this.layout(rows);
    const h16 = this.kernel
      ? new Int16Array(this.kernel.memory.buffer, at.h, rows * Kp)
      : new Int16Array(rows * Kp);
    const hs = this.kernel
      ? new Float32Array(this.kernel.memory.buffer, at.hs, rows)
      : new Float32Array(rows);
    const bounds = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let m = 0;
      let l1 = 0;
      for (let k = 0; k < K; k++) {
        const a = Math.abs(h[r * K + k] as number);
        if (a > m || Number.isNaN(a)) m = a;
        l1 += a;
      }
      h16.fill(0, r * Kp, (r + 1) * Kp);
      if (!Number.isFinite(m)) {
        hs[r] = Number.NaN;
        bounds[r] = Number.NaN;
        continue;
      }
      const s = m > 0 ? Math.fround(m / this.hMax) : 1;
      hs[r] = s;
      for (let k = 0; k < K; k++)
        h16[r * Kp + k] = Math.max(
          -this.hMax,
          Math.min(this.hMax, Math.round((h[r * K + k] as number) / s)),
        );
      // |W h − s_j·hs·Σ w8·h16| ≤ ½ s_j ‖h‖₁ + ½ hs ‖s_j w8_j‖₁, plus float32 rounding of
      // the kernel's three operations and of the exact value (a few ulps of the largest logit).
      const big = this.maxScale * 127 * l1 + this.maxBias;
      bounds[r] = 0.5 * this.maxScale * l1 + 0.5 * s * this.maxRowL1 + 1e-6 * big + 1e-30;
    }
    let out: Float32Array;
    if (this.kernel) {
      const o = this.offsets;
      this.kernel.exports.gemv(o.w, o.scale, o.bias, at.h, at.hs, at.out, Vp, Kp, rows);
      out = new Float32Array(this.kernel.memory.buffer, at.out, rows * Vp);
    } else {
      out = this.gemvJs(h16, hs, rows);
    }
    const logits = new Float32Array(rows * V);
    for (let r = 0; r < rows; r++) {
      if (Number.isNaN(hs[r] as number)) logits.fill(Number.NaN, r * V, (r + 1) * V);
      else logits.set(out.subarray(r * Vp, r * Vp + V), r * V);
    }
    return { logits, bounds };
  }

  /**
   * {@link logits} with its {@link refine} bound to them: what a decoding step hands the token
   * picker (h must stay unchanged until the picks are made).
   */
  scores(
    h: Float32Array,
    rows: number,
  ): {
    logits: Float32Array;
    refine(r: number, n: number, allowed: ReadonlySet<number> | null): void;
  } {
    const { logits, bounds } = this.logits(h, rows);
    return {
      logits,
      refine: (r, n, allowed) => {
        this.refine(logits, h, r, bounds[r] as number, n, allowed);
      },
    };
  }

  /** The kernel's arithmetic in JS: the same exact integer sums and float32 steps. */
  private gemvJs(h16: Int16Array, hs: Float32Array, rows: number): Float32Array {
    const { Kp, Vp } = this;
    const w8 = this.w8 as Int8Array;
    const out = new Float32Array(rows * Vp);
    const f = Math.fround;
    for (let r = 0; r < rows; r++) {
      const hr = hs[r] as number;
      for (let j = 0; j < Vp; j++) {
        let s = 0;
        for (let k = 0; k < Kp; k++) s += (w8[j * Kp + k] as number) * (h16[r * Kp + k] as number);
        out[r * Vp + j] = f(f(f(f(s) * (this.scale[j] as number)) * hr) + (this.bias[j] as number));
      }
    }
    return out;
  }

  /** The float32 layer's logit for row r of h and id j (accumulated in float64, rounded to float32). */
  exactLogit(h: Float32Array, r: number, j: number): number {
    return this.exact(this.exactWeights(), h, r, j);
  }

  /** The transposed float32 layer [V, K] (a fresh view: the kernel's memory may have grown). */
  private exactWeights(): Float32Array {
    const e = this.exactW;
    if (typeof e !== 'number') return e;
    return new Float32Array(
      (this.kernel as KernelInstance<Kernel>).memory.buffer,
      e,
      this.vocab * this.inputSize,
    );
  }

  private exact(W: Float32Array, h: Float32Array, r: number, j: number): number {
    const K = this.inputSize;
    let s = this.bias[j] as number;
    const w = j * K;
    const x = r * K;
    for (let k = 0; k < K; k++) s += (W[w + k] as number) * (h[x + k] as number);
    return Math.fround(s);
  }

  /**
   * Make row r of `logits` exact wherever it matters for picking the row's `n` best ids among
   * those allowed (never PAD or BOS; only ids in `allowed` when given): every allowed id whose
   * approximate logit is within 2·bound of the n-th best is recomputed exactly. Afterwards the n
   * best of the row by value, and their order, are those of the exact layer. Returns how many
   * logits were recomputed.
   */
  refine(
    logits: Float32Array,
    h: Float32Array,
    r: number,
    bound: number,
    n: number,
    allowed: ReadonlySet<number> | null,
  ): number {
    this.assertAlive();
    if (!(bound >= 0)) return 0; // NaN row: nothing to rank
    const V = this.vocab;
    const row = logits.subarray(r * V, (r + 1) * V);
    const [pad, bos] = [PAD, BOS];
    // The n best approximate values among allowed ids, best first (−∞ while fewer were seen).
    const top = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    let worst = Number.NEGATIVE_INFINITY; // top[n − 1]
    let seen = 0;
    for (let j = 0; j < V; j++) {
      const v = row[j] as number;
      if (v <= worst && seen >= n) continue;
      if (j === pad || j === bos || (allowed && !allowed.has(j))) continue;
      seen++;
      let at = n - 1;
      while (at > 0 && (top[at - 1] as number) < v) {
        top[at] = top[at - 1] as number;
        at--;
      }
      top[at] = v;
      worst = top[n - 1] as number;
    }
    const threshold = seen >= n ? worst - 2 * bound : Number.NEGATIVE_INFINITY;
    let count = 0;
    const W = this.exactWeights();
    for (let j = 0; j < V; j++) {
      if ((row[j] as number) < threshold) continue;
      if (j === pad || j === bos || (allowed && !allowed.has(j))) continue;
      row[j] = this.exact(W, h, r, j);
      count++;
    }
    return count;
  }

  /** Releases the kernel's memory; later calls throw. */
  dispose(): void {
    this.kernel = null;
    this.w8 = null;
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Int8Head: used after dispose()');
  }
}
