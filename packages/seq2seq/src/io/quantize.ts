// Weight quantisation to the tfjs weightsManifest encodings: float16 and 8-bit per-tensor affine ('uint8' with scale/min).
import type * as tf from '@tensorflow/tfjs-core';

/** 'int8' is accepted as an alias of tfjs' 8-bit affine encoding, stored as dtype 'uint8' with scale and min. */
export type Quantization = 'float32' | 'float16' | 'uint8' | 'int8';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** IEEE-754 float32 → float16 bits with round-to-nearest-even (overflow → ±Inf, NaN kept). */
export function toFloat16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

export interface EncodedTensor {
  bytes: Uint8Array;
  quantization?: tf.io.WeightsManifestEntry['quantization'];
}

/** Encode float32 values with the requested scheme. */
export function quantizeTensor(values: Float32Array, scheme: Quantization): EncodedTensor {
  if (scheme === 'float32')
    return {
      bytes: new Uint8Array(
        values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength),
      ),
    };
  if (scheme === 'float16') {
    const out = new Uint16Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i] as number);
    return { bytes: new Uint8Array(out.buffer), quantization: { dtype: 'float16' } };
  }
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!Number.isFinite(min) || !Number.isFinite(max)) {
    if (values.length === 0)
      return { bytes: new Uint8Array(0), quantization: { dtype: 'uint8', scale: 1, min: 0 } };
    throw new Error('quantizeTensor: cannot 8-bit quantise non-finite values');
  }
  // Keep zero exactly representable (zero biases stay zero), as the tfjs converter does.
  min = Math.min(min, 0);
  max = Math.max(max, 0);
  const scale = max > min ? (max - min) / 255 : 1;
  const zero = Math.round(-min / scale);
  const nudgedMin = -zero * scale;
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.max(0, Math.min(255, Math.round(((values[i] as number) - nudgedMin) / scale)));
  return { bytes: out, quantization: { dtype: 'uint8', scale, min: nudgedMin } };
}
