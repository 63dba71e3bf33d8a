// Test helpers: run suites on cpu and wasm, compare tensors, central finite differences.
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { initBackend } from '../src/backend';

/** Backends every numeric suite runs on; RNN_BACKENDS=cpu narrows it. */
export const BACKENDS: ('cpu' | 'wasm')[] = (process.env.RNN_BACKENDS ?? 'cpu,wasm').split(',') as (
  | 'cpu'
  | 'wasm'
)[];

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  const got = await initBackend(name);
  if (got !== name) throw new Error(`wanted backend ${name}, got ${got}`);
}

export function expectClose(a: tf.Tensor, b: tf.Tensor, tol = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  let worst = 0;
  for (let i = 0; i < av.length; i++)
    worst = Math.max(worst, Math.abs((av[i] as number) - (bv[i] as number)));
  expect(worst).toBeLessThan(tol);
}

/** Seeded uniform tensor in [-scale, scale]. */
export function rand(shape: number[], seed: number, scale = 1): tf.Tensor {
  return tf.randomUniform(shape, -scale, scale, 'float32', seed);
}

/**
 * Central finite differences of a scalar loss w.r.t. a few entries of `target`, compared
 * with the analytic gradient: |num - ana| <= atol + rtol*|num|.
 */
export function checkGradient(
  loss: (v: tf.Tensor) => tf.Scalar,
  target: tf.Tensor,
  analytic: tf.Tensor,
  picks = 6,
  eps = 1e-2,
): void {
  const base = target.dataSync().slice();
  const ana = analytic.dataSync();
  const n = base.length;
  for (let p = 0; p < picks; p++) {
    const idx = Math.floor(((p + 0.5) / picks) * n);
    const plus = base.slice();
    const minus = base.slice();
    plus[idx] = (plus[idx] as number) + eps;
    minus[idx] = (minus[idx] as number) - eps;
    const lp = tf.tidy(() => loss(tf.tensor(plus, target.shape)).dataSync()[0] as number);
    const lm = tf.tidy(() => loss(tf.tensor(minus, target.shape)).dataSync()[0] as number);
    const num = (lp - lm) / (2 * eps);
    const a = ana[idx] as number;
    expect(Math.abs(num - a), `grad[${idx}] numeric ${num} analytic ${a}`).toBeLessThanOrEqual(
      2e-3 + 2e-2 * Math.abs(num),
    );
  }
}
