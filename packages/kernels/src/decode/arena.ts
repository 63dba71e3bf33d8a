// Weights and scratch vectors of the host kernels in one WebAssembly memory: a bump allocator
// over an instance of the decoding kernels module, 16-byte aligned, zeroed (padding lanes read as 0).
import { KernelInstance } from '../instance';
import { floatModule } from './simd';

/** The float32 kernels of float.wat that the host encoder and decoder call. */
export interface FloatKernels {
  gemvf(x: number, w: number, bias: number, out: number, K: number, Np: number): void;
  gemvf4(
    x: number,
    xs: number,
    w: number,
    bias: number,
    out: number,
    os: number,
    K: number,
    Np: number,
  ): void;
  lstmgates(z: number, c: number, h: number, Hp: number): void;
  tanhv(p: number, n: number): void;
  addtanhdot(keys: number, q: number, v: number, out: number, T: number, Ap: number): void;
}

/**
 * `x` rounded up to a multiple of `m`: padded sizes that keep every SIMD lane and row aligned.
 * @example roundUp(10, 4) // 12
 */
export function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/**
 * A kernels instance and its memory, allocated front to back.
 *
 * @example
 * const arena = KernelArena.create();
 * if (arena) { const at = arena.alloc(16); arena.k.tanhv(at, 16); }
 */
export class KernelArena {
  readonly inst: KernelInstance<FloatKernels>;
  readonly k: FloatKernels;
  private top = 16;

  private constructor(inst: KernelInstance<FloatKernels>) {
    this.inst = inst;
    this.k = inst.exports;
  }

  /** A fresh instance, or null where WebAssembly SIMD is unavailable. */
  static create(): KernelArena | null {
    const mod = floatModule();
    return mod ? new KernelArena(new KernelInstance<FloatKernels>(mod)) : null;
  }

  /** Byte offset of `floats` zeroed float32s, 16-byte aligned; grows the memory as needed. */
  alloc(floats: number): number {
    const at = this.top;
    this.top = roundUp(at + 4 * floats, 16);
    this.inst.ensure(this.top);
    this.f32(at, floats).fill(0);
    return at;
  }

  /** Where the next allocation goes; `reset(mark)` frees everything allocated after it. */
  get mark(): number {
    return this.top;
  }

  reset(mark: number): void {
    this.top = mark;
  }

  /** A view of n float32s at byte offset `at` (views die when the memory grows: take them late). */
  f32(at: number, n: number): Float32Array {
    return this.inst.f32(at, n);
  }

  /**
   * Row i of an LSTM gate matrix src [·, 4H] (blocks i, f, g, o) into row `row` of the padded
   * matrix at byte offset W [·, 4Hp], each gate's block at g·Hp.
   */
  private putGates(
    W: number,
    row: number,
    src: Float32Array,
    i: number,
    H: number,
    Hp: number,
  ): void {
    const dst = this.f32(W + 4 * row * 4 * Hp, 4 * Hp);
    for (let g = 0; g < 4; g++)
      dst.set(src.subarray(i * 4 * H + g * H, i * 4 * H + (g + 1) * H), g * Hp);
  }

  /**
   * out_r = bias + x_r · W for `rows` rows at byte strides xs and os (W [K, Np] at byte offset
   * w, Np a multiple of 16): four rows per weight pass, the rest one at a time.
   */
  gemvRows(
    x: number,
    xs: number,
    w: number,
    bias: number,
    out: number,
    os: number,
    K: number,
    Np: number,
    rows: number,
  ): void {
    let r = 0;
    for (; r + 4 <= rows; r += 4) this.k.gemvf4(x + r * xs, xs, w, bias, out + r * os, os, K, Np);
    for (; r < rows; r++) this.k.gemvf(x + r * xs, w, bias, out + r * os, K, Np);
  }

  /**
   * One LSTM layer's weights as a single matrix for gemvf over [x; h]: `xRows` padded input rows
   * (source kernel row i at row rowAt(i), for i < inRows), then the Hp recurrent rows; each gate's
   * block at g·Hp. Returns its byte offset, row count and padded bias.
   */
  lstmLayer(
    c: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array },
    H: number,
    Hp: number,
    xRows: number,
    inRows: number,
    rowAt: (i: number) => number,
  ): { W: number; rows: number; b: number } {
    const rows = xRows + Hp;
    const W = this.alloc(rows * 4 * Hp);
    for (let i = 0; i < inRows; i++) this.putGates(W, rowAt(i), c.kernel, i, H, Hp);
    for (let i = 0; i < H; i++) this.putGates(W, xRows + i, c.recurrent, i, H, Hp);
    return { W, rows, b: this.gateBias(c.bias, H, Hp) };
  }

  /** An LSTM bias [4H] into a padded [4Hp] vector. */
  private gateBias(src: Float32Array, H: number, Hp: number): number {
    const b = this.alloc(4 * Hp);
    const v = this.f32(b, 4 * Hp);
    for (let g = 0; g < 4; g++) v.set(src.subarray(g * H, (g + 1) * H), g * Hp);
    return b;
  }
}
