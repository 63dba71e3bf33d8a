// The host-decoding WebAssembly SIMD modules (int8.wat, float.wat): compiled once, null where unsupported.
import { compileBase64, KernelInstance } from '../instance';
import { FLOAT_WASM_BASE64 } from './float-wasm';
import { INT8_WASM_BASE64 } from './int8-wasm';

/** The int8 output layer's module (gemv, prep8), or null where WebAssembly SIMD is unavailable. */
export function int8Module(): WebAssembly.Module | null {
  return compileBase64(INT8_WASM_BASE64);
}

/** The float32 decoding module (encoder and decoder steps, log-sum-exp), or null without SIMD. */
export function floatModule(): WebAssembly.Module | null {
  return compileBase64(FLOAT_WASM_BASE64);
}

/** Whether this runtime runs the SIMD kernels (else the JS fallbacks, same results). */
export function int8HeadSimdAvailable(): boolean {
  return int8Module() !== null && floatModule() !== null;
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
    const mod = floatModule();
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
