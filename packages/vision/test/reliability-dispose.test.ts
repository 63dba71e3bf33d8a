// Reliability: SmallCnn frees every variable on dispose() and refuses use afterwards instead of computing garbage.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SmallCnn } from '../src/index';
import { useCpu } from './helpers';

beforeAll(useCpu);

describe('SmallCnn lifecycle', () => {
  it('features() is leak-free, dispose() returns every tensor, and later use throws clearly', () => {
    const before = tf.memory().numTensors;
    const cnn = new SmallCnn({ channels: [4, 6], strides: [2, 2], inputSize: [8, 8], seed: 1 });
    const x = tf.fill([2, 8, 8, 3], 0.5) as tf.Tensor4D;
    const warm = cnn.features(x);
    tf.dispose([warm.grid, warm.pooled]);
    const mid = tf.memory();
    for (let i = 0; i < 20; i++) {
      const f = cnn.features(x, { training: i % 2 === 0 });
      tf.dispose([f.grid, f.pooled]);
    }
    expect(tf.memory().numTensors).toBe(mid.numTensors);
    expect(tf.memory().numBytes).toBe(mid.numBytes);
    cnn.dispose();
    expect(cnn.isDisposed).toBe(true);
    // Before the fix this silently returned the pooled input pixels (no conv units left).
    expect(() => cnn.features(x)).toThrow(/SmallCnn: used after dispose/);
    expect(() => cnn.getWeights()).toThrow(/SmallCnn: used after dispose/);
    expect(() => cnn.toJSON()).toThrow(/SmallCnn: used after dispose/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
