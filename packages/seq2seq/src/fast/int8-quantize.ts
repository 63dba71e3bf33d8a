// The int8 head's weight quantization in plain JS: the fallback of the kernel's prep8, bit for bit.

/**
 * The JS fallback of the kernel's prep8, with the same bits: per id j a scale
 * fround(max_k |W[k, j]| / 127) (1 for an all-zero column), int8 values rounded half to even
 * from W · (1 / scale) in float64 (adding and subtracting 1.5·2^52; |W/scale| ≤ 127·(1 + 2^-24),
 * so every value lands in [−127, 127]), and the layer transposed [V, K].
 */
export function quantizeJs(
  weights: Float32Array,
  K: number,
  V: number,
  Kp: number,
  w8: Int8Array,
  scale: Float32Array,
): { exact: Float32Array; colMax: Float64Array; l1: Float64Array } {
  const colMax = new Float64Array(V);
  for (let k = 0; k < K; k++)
    for (let j = 0; j < V; j++) {
      const a = Math.abs(weights[k * V + j] as number);
      if (a > (colMax[j] as number)) colMax[j] = a;
    }
  const inv = new Float64Array(V);
  for (let j = 0; j < V; j++) {
    const m = colMax[j] as number;
    const s = m > 0 ? Math.fround(m / 127) : 1;
    scale[j] = s;
    inv[j] = 1 / s;
  }
  const exact = new Float32Array(V * K);
  const l1 = new Float64Array(V);
  const magic = 6755399441055744;
  for (let k = 0; k < K; k++)
    for (let j = 0; j < V; j++) {
      const w = weights[k * V + j] as number;
      exact[j * K + k] = w;
      const q = w * (inv[j] as number) + magic - magic;
      w8[j * Kp + k] = q;
      l1[j] = (l1[j] as number) + (q < 0 ? -q : q);
    }
  return { exact, colMax, l1 };
}
