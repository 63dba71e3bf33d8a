// The host-decoding WebAssembly SIMD module (decode.wat): compiled once, null where unsupported.
import { compileBase64, KernelInstance } from '../instance';
import { DECODE_WASM_BASE64 } from './decode-wasm';

/** The compiled module, or null where WebAssembly SIMD is unavailable. */
export function simdModule(): WebAssembly.Module | null {
  return compileBase64(DECODE_WASM_BASE64);
}

/** Whether this runtime runs the SIMD kernels (else the JS fallbacks, same results). */
export function int8HeadSimdAvailable(): boolean {
  return simdModule() !== null;
}

interface LseExports {
  maxf(p: number, n: number): number;
  sumexp(p: number, n: number, max: number): number;
}

let lse: KernelInstance<LseExports> | null = null;

/**
 * log Σ exp(row) with the SIMD kernels (relative error ~1e-7), or null where WebAssembly SIMD
 * is unavailable or the row is too short to gain from it.
 */
export function simdLogSumExp(row: Float32Array): number | null {
  if (row.length < 64) return null;
  if (!lse) {
    const mod = simdModule();
    if (!mod) return null;
    lse = new KernelInstance<LseExports>(mod);
  }
  const n = Math.ceil(row.length / 4) * 4;
  lse.ensure(4 * n);
  const buf = lse.f32(0, n);
  buf.set(row);
  buf.fill(Number.NEGATIVE_INFINITY, row.length);
  const max = lse.exports.maxf(0, n);
  return max + Math.log(lse.exports.sumexp(0, n, max));
}
