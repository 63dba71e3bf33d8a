// Weight initializers on Float32Array (glorot uniform, fast orthogonal, identity), seeded.
import { fillNormal, makeRng } from '@seqlab/text';

function checkShape(name: string, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0) {
    throw new Error(`${name}: expected positive integer rows and cols, got [${rows}, ${cols}]`);
  }
}

let skipDepth = 0;

/**
 * Runs `fn` with the seeded random initialisers (here and in packages built on them) returning
 * zeros. For models whose weights are overwritten right after construction — loading a saved
 * model — where computing orthogonal recurrent kernels was most of the load time.
 * @example const model = withoutRandomInit(() => new Seq2Seq(config)); model.params.assign(saved);
 */
export function withoutRandomInit<T>(fn: () => T): T {
  skipDepth++;
  try {
    return fn();
  } finally {
    skipDepth--;
  }
}

/** Whether a {@link withoutRandomInit} callback is running (initialisers should return zeros). */
export function randomInitSkipped(): boolean {
  return skipDepth > 0;
}

/**
 * Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)), as in Keras.
 * @example const k = glorotUniform(128, 1024, 7); // Float32Array of 128*1024
 */
export function glorotUniform(rows: number, cols: number, seed = 0): Float32Array {
  checkShape('glorotUniform', rows, cols);
  if (skipDepth > 0) return new Float32Array(rows * cols);
  const rng = makeRng(seed);
  const limit = Math.sqrt(6 / (rows + cols));
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rng() * 2 - 1) * limit;
  return out;
}

/**
 * Orthogonal matrix [rows, cols] (row-major) like Keras' Orthogonal initializer: QR of a
 * normal matrix with the sign of diag(R) folded in, so the result is uniformly distributed.
 * Modified Gram-Schmidt in float64 is O(rows*cols*min) and ~100x faster than tfjs's version.
 * @example const q = orthogonal(256, 1024, 1); // rows of q are orthonormal
 */
export function orthogonal(rows: number, cols: number, seed = 0, gain = 1): Float32Array {
  checkShape('orthogonal', rows, cols);
  if (skipDepth > 0) return new Float32Array(rows * cols);
  // Work on the tall orientation [n, k] with n >= k and orthonormalise its k columns.
  const n = Math.max(rows, cols);
  const k = Math.min(rows, cols);
  const a = new Float64Array(n * k);
  fillNormal(a, makeRng(seed));
  // Store columns contiguously (col-major) so the inner loops stream memory.
  const q = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) q[j * n + i] = a[i * k + j] as number;
  for (let j = 0; j < k; j++) {
    const cj = j * n;
    for (let p = 0; p < j; p++) {
      const cp = p * n;
      let dot = 0;
      for (let i = 0; i < n; i++) dot += (q[cp + i] as number) * (q[cj + i] as number);
      for (let i = 0; i < n; i++) q[cj + i] = (q[cj + i] as number) - dot * (q[cp + i] as number);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += (q[cj + i] as number) ** 2;
    norm = Math.sqrt(norm);
    // MGS leaves diag(R) = norm > 0, which already matches sign(diag(R)) normalisation.
    const inv = norm > 0 ? 1 / norm : 0;
    for (let i = 0; i < n; i++) q[cj + i] = (q[cj + i] as number) * inv;
  }
  const out = new Float32Array(rows * cols);
  if (rows >= cols) {
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (q[j * n + i] as number);
  } else {
    // Tall matrix was [cols, rows]; its transpose has orthonormal rows.
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < cols; j++) out[i * cols + j] = gain * (q[i * n + j] as number);
  }
  return out;
}

/**
 * Identity-like [rows, cols] scaled by gain, for IRNN recurrent weights (Le et al. 2015).
 * @example const w = identity(64, 64, 1);
 */
export function identity(rows: number, cols: number, gain = 1): Float32Array {
  checkShape('identity', rows, cols);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = gain;
  return out;
}
