// Test helpers: a backend per suite and a tensor-leak check.
import { initBackend } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';

export async function useBackend(name: 'cpu' | 'wasm' = 'cpu'): Promise<void> {
  const got = await initBackend(name);
  if (got !== name) throw new Error(`wanted backend ${name}, got ${got}`);
}

/** Runs fn and checks it leaves no tensor behind. */
export function noLeak<T>(fn: () => T): T {
  const before = tf.memory().numTensors;
  const r = fn();
  expect(tf.memory().numTensors).toBe(before);
  return r;
}
