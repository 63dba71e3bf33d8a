// Named tensor maps ⇄ JSON (float32 bytes as base64), so a CNN can travel inside a captioner's saved config.
import * as tf from '@tensorflow/tfjs-core';

/** One serialised tensor: little-endian float32 bytes in base64. */
export interface TensorJson {
  shape: number[];
  dtype: 'float32';
  data: string;
}
export type WeightsJson = Record<string, TensorJson>;

function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  // Chunked so String.fromCharCode never gets too many arguments.
  for (let i = 0; i < bytes.length; i += 0x8000)
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * Serialises tensors synchronously (dataSync), e.g. `JSON.stringify(encodeWeights(cnn.getWeights()))`.
 *
 * @example
 * const json = encodeWeights({ w: tf.ones([2]) }); // { w: { shape: [2], dtype: 'float32', data: 'AACAPwAAgD8=' } }
 */
export function encodeWeights(map: Record<string, tf.Tensor>): WeightsJson {
  const out: WeightsJson = {};
  for (const [name, t] of Object.entries(map)) {
    if (t.dtype !== 'float32')
      throw new Error(`encodeWeights supports float32 tensors; '${name}' is ${t.dtype}`);
    const values = t.dataSync() as Float32Array;
    out[name] = {
      shape: [...t.shape],
      dtype: 'float32',
      data: bytesToBase64(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
    };
  }
  return out;
}

/** Inverse of encodeWeights; the caller owns (and disposes) the returned tensors. */
export function decodeWeights(json: WeightsJson): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  for (const [name, t] of Object.entries(json)) {
    const bytes = base64ToBytes(t.data);
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (bytes.length !== n * 4) {
      throw new Error(
        `decodeWeights: '${name}' has shape [${t.shape}] (${n * 4} bytes) but ${bytes.length} bytes of data`,
      );
    }
    out[name] = tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, n), t.shape, 'float32');
  }
  return out;
}
