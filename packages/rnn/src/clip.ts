// Gradient clipping by global norm and by value over a named map or an array of gradients.
import * as tf from '@tensorflow/tfjs-core';

type Grads<T extends tf.Tensor> = Record<string, T> | T[];

function entries<T extends tf.Tensor>(g: Grads<T>): [string, T][] {
  return Array.isArray(g) ? g.map((t, i) => [String(i), t]) : Object.entries(g);
}

function rebuild<T extends tf.Tensor, G extends Grads<T>>(like: G, vals: [string, T][]): G {
  if (Array.isArray(like)) return vals.map(([, t]) => t) as unknown as G;
  return Object.fromEntries(vals) as G;
}

/**
 * Global L2 norm of all gradients together as a scalar tensor (the caller disposes it), for callers
 * that read it back together with other values (one sync).
 */
export function globalNormTensor(grads: Grads<tf.Tensor>): tf.Scalar {
  const list = entries(grads).map(([, t]) => t);
  if (list.length === 0) return tf.scalar(0);
  return tf.tidy(() => tf.sqrt(tf.addN(list.map((t) => tf.sum(tf.square(t))))) as tf.Scalar);
}

/** Global L2 norm of all gradients together (one scalar readback). */
export function globalNorm(grads: Grads<tf.Tensor>): number {
  const n = globalNormTensor(grads);
  try {
    return n.dataSync()[0] as number;
  } finally {
    n.dispose();
  }
}

/**
 * The factor clipping by global norm multiplies every gradient by: min(1, maxNorm / norm), and 1
 * when the norm is not finite (the caller decides what to do with such a step).
 * @example clipScale(10, 5) // 0.5
 */
export function clipScale(norm: number, maxNorm: number): number {
  return Number.isFinite(norm) && norm > maxNorm ? maxNorm / norm : 1;
}

/**
 * Scales all gradients by min(1, maxNorm / globalNorm) (Pascanu et al. 2013). Returns NEW
 * tensors (the inputs are left to the caller) and the norm before clipping.
 * @example const { grads, norm } = clipByGlobalNorm(g, 5); optimizer.applyGradients(grads);
 */
export function clipByGlobalNorm<T extends tf.Tensor>(
  grads: Record<string, T>,
  maxNorm: number,
): { grads: Record<string, T>; norm: number };
export function clipByGlobalNorm<T extends tf.Tensor>(
  grads: T[],
  maxNorm: number,
): { grads: T[]; norm: number };
export function clipByGlobalNorm<T extends tf.Tensor>(
  grads: Grads<T>,
  maxNorm: number,
): { grads: Grads<T>; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: expected maxNorm > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  const out = entries(grads).map(([k, t]) => [k, tf.mul(t, scale) as T] as [string, T]);
  return { grads: rebuild(grads, out), norm };
}

/**
 * Clamps every gradient element into [-clip, clip]. Returns new tensors and the global norm before clipping.
 * @example const { grads } = clipByValue(g, 1);
 */
export function clipByValue<T extends tf.Tensor>(
  grads: Record<string, T>,
  clip: number,
): { grads: Record<string, T>; norm: number };
export function clipByValue<T extends tf.Tensor>(
  grads: T[],
  clip: number,
): { grads: T[]; norm: number };
export function clipByValue<T extends tf.Tensor>(
  grads: Grads<T>,
  clip: number,
): { grads: Grads<T>; norm: number } {
  if (!(clip > 0)) throw new Error(`clipByValue: expected clip > 0, got ${clip}`);
  const norm = globalNorm(grads);
  const out = entries(grads).map(
    ([k, t]) => [k, tf.clipByValue(t, -clip, clip) as T] as [string, T],
  );
  return { grads: rebuild(grads, out), norm };
}
