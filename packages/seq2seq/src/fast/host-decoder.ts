// Decoder steps on the host for greedy and beam decoding on cpu/wasm: the whole step (LSTM layers,
// attention, combine, output layer) as a few WebAssembly SIMD calls on weights copied once,
// instead of ~25 tensor ops whose dispatch, not arithmetic, dominates a single input's decoding.

import { KernelArena, roundUp } from '@seqlab/kernels';
import { MASK_NEG } from '../model/attention';
import { HostStepper } from './host-stepper';
import type { Int8Head } from './int8-head';

export { HostStepper } from './host-stepper';

/** The decoder's weights, as `Decoder.useHostDecoding` reads them (row-major, as the tensors). */
export interface HostDecoderWeights {
  vocab: number;
  embDim: number;
  hidden: number;
  memoryDim: number;
  attention: 'additive' | 'dot' | 'none';
  attentionDim: number;
  /** Input feeding: layer 0 reads [emb; h̃_{t−1}]. */
  feeds: boolean;
  embedding: Float32Array; // [V, E]
  cells: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array }[]; // [in, 4H], [H, 4H], [4H]
  /** Additive attention's query projection [H, A] and scoring vector [A]. */
  wq: Float32Array | null;
  v: Float32Array | null;
  combine: { w: Float32Array; b: Float32Array } | null; // [H + d, H], [H]
  /**
   * What {@link HostDecoder.begin} needs to start from an encoding on the host: the attention's key
   * projection [d, a] (a = attentionDim, or H for dot; null without attention), and per layer the
   * bridge from a summary vector of `bridgeDim` floats (wh, wc [bridgeDim, H]; bh, bc [H]).
   */
  keys: Float32Array | null;
  bridgeDim: number;
  bridge: { wh: Float32Array; bh: Float32Array; wc: Float32Array; bc: Float32Array }[];
  /**
   * The output layer [H, V] (tied embeddings already folded in) and its bias [V], read when a
   * decoding first runs without an int8 head (which replaces it).
   */
  out: () => { w: Float32Array; b: Float32Array };
}

/** One step's reads, as greedy and beam search consume them. */
export interface HostStepRead {
  logits: Float32Array; // [b, V]
  attention: Float32Array | null; // [b, T]
  refine(r: number, n: number, allowed: ReadonlySet<number> | null): void;
}

/** Per-input constants and the starting state, read from the decoder's tensors. */
export interface HostDecodingStart {
  rows: number;
  /** Memory length T and width d. */
  T: number;
  memory: Float32Array; // [b, T, d]
  keys: Float32Array | null; // [b, T, a]
  maskBias: Float32Array; // [b, T]
  layers: { h: Float32Array; c: Float32Array }[]; // [b, H] each
  feed: Float32Array; // [b, H]
}

/** A padded float32 matrix in kernel memory: `rows` × `cols` floats at byte offset `at`. */
export interface Mat {
  at: number;
  rows: number;
  cols: number;
}

/**
 * The decoder's step for greedy and beam decoding, on the host. Same maths as `Decoder.step` (float32,
 * accumulated in another order: outputs agree to ~1e-6), with vectors padded to multiples of 16
 * so every kernel runs whole SIMD lanes. Build with {@link HostDecoder.create} (null where
 * WebAssembly SIMD is unavailable); decoding calls {@link HostDecoder.start}.
 */
export class HostDecoder {
  private readonly arena: KernelArena;
  private readonly w: HostDecoderWeights;
  private readonly Hp: number;
  private readonly Ap: number;
  private readonly Vp: number;
  private readonly Ep: number;
  /** Per layer: [x; h] rows × 4Hp weights at byte offset W, and the bias (see KernelArena.lstmLayer). */
  private readonly cells: { W: number; rows: number; b: number }[] = [];
  private readonly wq: Mat | null = null;
  private readonly v: number = 0;
  private readonly zeros: number = 0;
  private readonly combine: { W: Mat; b: number } | null = null;
  private out: { W: Mat; b: number } | null = null;
  /** Key projection [d, Kp] (Kp = Ap for additive, Hp for dot) and its zero bias. */
  private readonly wk: { W: Mat; zero: number } | null = null;
  /** Per layer: the bridge's h and c maps [bridgeDim, Hp] and biases. */
  private readonly bridge: { wh: Mat; bh: number; wc: Mat; bc: number }[] = [];
  private weightsEnd: number;
  private busy = false;
  private disposed = false;

  private constructor(arena: KernelArena, w: HostDecoderWeights) {
    this.arena = arena;
    this.w = w;
    const { hidden: H, embDim: E, vocab: V, memoryDim: d } = w;
    this.Hp = roundUp(H, 16);
    this.Ap = roundUp(w.attentionDim, 16);
    this.Vp = roundUp(V, 16);
    this.Ep = roundUp(E, 4);
    const { Hp, Ep } = this;
    // Layer 0 reads [emb (Ep); feed (Hp, with input feeding); h (Hp)]; layer l reads [x (Hp); h (Hp)].
    w.cells.forEach((c, l) => {
      const inRows = l === 0 ? E + (w.feeds ? H : 0) : H;
      const xRows = l === 0 ? Ep + (w.feeds ? Hp : 0) : Hp;
      const rowAt = (i: number) => (l === 0 ? (i < E ? i : Ep + (i - E)) : i); // kernel row i → padded row
      this.cells.push(arena.lstmLayer(c, H, Hp, xRows, inRows, rowAt));
    });
    if (w.attention === 'additive' && w.wq && w.v) {
      this.wq = this.mat(Hp, this.Ap);
      this.copyRows(this.wq, w.wq, H, w.attentionDim, (i) => i);
      this.v = this.arena.alloc(this.Ap);
      this.arena.f32(this.v, w.attentionDim).set(w.v);
      this.zeros = this.arena.alloc(this.Ap);
    }
    if (w.keys && w.attention !== 'none') {
      const a = w.attention === 'additive' ? w.attentionDim : H;
      const W = this.mat(d, w.attention === 'additive' ? this.Ap : Hp);
      this.copyRows(W, w.keys, d, a, (i) => i);
      this.wk = { W, zero: this.arena.alloc(W.cols) };
    }
    for (const br of w.bridge) {
      const put = (src: Float32Array) => {
        const m = this.mat(w.bridgeDim, Hp);
        this.copyRows(m, src, w.bridgeDim, H, (i) => i);
        return m;
      };
      const vec = (src: Float32Array) => {
        const at = this.arena.alloc(Hp);
        this.arena.f32(at, H).set(src);
        return at;
      };
      this.bridge.push({ wh: put(br.wh), bh: vec(br.bh), wc: put(br.wc), bc: vec(br.bc) });
    }
    if (w.combine) {
      const W = this.mat(Hp + d, Hp);
      this.copyRows(W, w.combine.w, H + d, H, (i) => (i < H ? i : Hp + (i - H)));
      const b = this.arena.alloc(Hp);
      this.arena.f32(b, H).set(w.combine.b);
      this.combine = { W, b };
    }
    this.weightsEnd = arena.mark;
  }

  /** The float32 output layer in kernel memory, copied in on first need. */
  private outLayer(): { W: Mat; b: number } {
    if (this.out) return this.out;
    const { hidden: H, vocab: V } = this.w;
    this.arena.reset(this.weightsEnd);
    const o = this.w.out();
    const W = this.mat(this.Hp, this.Vp);
    this.copyRows(W, o.w, H, V, (i) => i);
    const b = this.arena.alloc(this.Vp);
    this.arena.f32(b, V).set(o.b);
    this.out = { W, b };
    this.weightsEnd = this.arena.mark;
    return this.out;
  }

  /** Build from the decoder's weights, or null where WebAssembly SIMD is unavailable. */
  static create(weights: HostDecoderWeights): HostDecoder | null {
    const arena = KernelArena.create();
    return arena ? new HostDecoder(arena, weights) : null;
  }

  private mat(rows: number, cols: number): Mat {
    return { at: this.arena.alloc(rows * cols), rows, cols };
  }

  /** A [rows, cols] matrix into W, source row i at padded row rowAt(i). */
  private copyRows(
    W: Mat,
    src: Float32Array,
    rows: number,
    cols: number,
    rowAt: (i: number) => number,
  ) {
    for (let i = 0; i < rows; i++)
      this.arena
        .f32(W.at + 4 * rowAt(i) * W.cols, cols)
        .set(src.subarray(i * cols, (i + 1) * cols));
  }

  /**
   * Start decoding `s.rows` inputs from their constants and initial state. The returned stepper
   * owns this decoder's scratch memory until `end()`; `head`, when given, is the output layer.
   */
  start(s: HostDecodingStart, head: Int8Head | null): HostStepper {
    if (this.disposed) throw new Error('HostDecoder: used after dispose()');
    if (this.busy) throw new Error('HostDecoder: one decoding at a time (end the previous one)');
    this.busy = true;
    if (!head) this.outLayer();
    this.arena.reset(this.weightsEnd);
    return new HostStepper(this, s, head);
  }

  /**
   * The start of a decoding computed on the host from an encoding (memory [b, T, d], mask [b, T]
   * with 1 = real, summary [b, bridgeDim]): what `Decoder.init` computes with tensors — the
   * attention keys, the mask as a logit bias, the bridged initial states and a zero fed-back vector
   * — with these kernels, so a host encoding goes straight to host decoding. Same maths in another
   * summation order (~1e-6). Call while {@link idle}.
   */
  begin(
    enc: { memory: Float32Array; mask: Float32Array; summary: Float32Array },
    rows: number,
  ): HostDecodingStart {
    if (!this.idle) throw new Error('HostDecoder.begin: disposed, or a decoding is in progress');
    const { hidden: H, memoryDim: d, bridgeDim: B } = this.w;
    const T = enc.mask.length / rows;
    if (
      !Number.isInteger(T) ||
      enc.memory.length !== rows * T * d ||
      enc.summary.length !== rows * B
    )
      throw new Error(
        `HostDecoder.begin: expected memory [${rows}, T, ${d}], mask [${rows}, T], summary [${rows}, ${B}]; got ${enc.memory.length}, ${enc.mask.length}, ${enc.summary.length} floats`,
      );
    if (this.bridge.length !== this.w.cells.length)
      throw new Error('HostDecoder.begin: built without the bridge weights');
    const { arena, Hp } = this;
    const k = arena.k;
    arena.reset(this.weightsEnd);
    const maskBias = new Float32Array(rows * T);
    for (let i = 0; i < maskBias.length; i++)
      maskBias[i] = Math.fround((1 - (enc.mask[i] as number)) * MASK_NEG);
    let keys: Float32Array | null = null;
    if (this.wk) {
      const { W, zero } = this.wk;
      const a = this.w.attention === 'additive' ? this.w.attentionDim : H;
      const x = arena.alloc(rows * T * d);
      arena.f32(x, rows * T * d).set(enc.memory);
      const out = arena.alloc(rows * T * W.cols);
      arena.gemvRows(x, 4 * d, W.at, zero, out, 4 * W.cols, d, W.cols, rows * T);
      const all = arena.f32(out, rows * T * W.cols);
      keys = new Float32Array(rows * T * a);
      for (let i = 0; i < rows * T; i++) keys.set(all.subarray(i * W.cols, i * W.cols + a), i * a);
    }
    const s = arena.alloc(rows * B);
    arena.f32(s, rows * B).set(enc.summary);
    const hc = arena.alloc(rows * Hp);
    const read = (at: number) => {
      const v = arena.f32(at, rows * Hp);
      const o = new Float32Array(rows * H);
      for (let r = 0; r < rows; r++) o.set(v.subarray(r * Hp, r * Hp + H), r * H);
      return o;
    };
    const layers = this.bridge.map((br) => {
      arena.gemvRows(s, 4 * B, br.wh.at, br.bh, hc, 4 * Hp, B, Hp, rows);
      k.tanhv(hc, rows * Hp);
      const h = read(hc);
      arena.gemvRows(s, 4 * B, br.wc.at, br.bc, hc, 4 * Hp, B, Hp, rows);
      return { h, c: read(hc) };
    });
    arena.reset(this.weightsEnd);
    return {
      rows,
      T,
      memory: enc.memory,
      keys,
      maskBias,
      layers,
      feed: new Float32Array(rows * H),
    };
  }

  /** True when {@link start} can be called: not disposed, no decoding in progress. */
  get idle(): boolean {
    return !this.busy && !this.disposed;
  }

  /** @internal */
  layout() {
    const { Hp, Ap, Vp, Ep, w } = this;
    return { Hp, Ap, Vp, Ep, w, cells: this.cells, wq: this.wq, v: this.v, zeros: this.zeros };
  }

  /** @internal Zeroed scratch memory (padding lanes must read as zeros). */
  scratch(floats: number): number {
    return this.arena.alloc(floats);
  }

  /** @internal */
  view(at: number, n: number): Float32Array {
    return this.arena.f32(at, n);
  }

  /** @internal */
  get kernelArena(): KernelArena {
    return this.arena;
  }

  /** @internal */
  get combineMat() {
    return this.combine;
  }

  /** @internal */
  get outMat(): { W: Mat; b: number } {
    return this.outLayer();
  }

  /** @internal */
  release(): void {
    this.busy = false;
    this.arena.reset(this.weightsEnd);
  }

  /** Marks it unusable (later `start` calls throw); its memory goes when it is unreferenced. */
  dispose(): void {
    this.disposed = true;
  }
}
