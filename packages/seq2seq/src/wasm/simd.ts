// The host-decoding WebAssembly SIMD module (kernels.wat): compiled once, null where unsupported.
import { KERNELS_WASM_BASE64 } from './kernels-wasm';

let compiled: WebAssembly.Module | null | undefined; // undefined: not tried; null: no SIMD here

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bin = atob(KERNELS_WASM_BASE64);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Whether this runtime runs the SIMD kernels (else the JS fallbacks, same results). */
export function int8HeadSimdAvailable(): boolean {
  return simdModule() !== null;
}

interface LseExports {
  memory: WebAssembly.Memory;
  maxf(p: number, n: number): number;
  sumexp(p: number, n: number, max: number): number;
}

let lse: LseExports | null = null;

/**
 * log Σ exp(row) with the SIMD kernels (relative error ~1e-7), or null where WebAssembly SIMD
 * is unavailable or the row is too short to gain from it.
 */
export function simdLogSumExp(row: Float32Array): number | null {
  if (row.length < 64) return null;
  if (!lse) {
    const mod = simdModule();
    if (!mod) return null;
    lse = new WebAssembly.Instance(mod, {}).exports as unknown as LseExports;
  }
  const n = Math.ceil(row.length / 4) * 4;
  const have = lse.memory.buffer.byteLength;
  if (4 * n > have) lse.memory.grow(Math.ceil((4 * n - have) / 65536));
  const buf = new Float32Array(lse.memory.buffer, 0, n);
  buf.set(row);
  buf.fill(Number.NEGATIVE_INFINITY, row.length);
  const max = lse.maxf(0, n);
  return max + Math.log(lse.sumexp(0, n, max));
}
