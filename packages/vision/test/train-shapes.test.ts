// Trainability: a tiny CNN learns Shapes' shape type (circle/square/triangle/star) from a few hundred large-object scenes at 32×32.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { ImageClassifier, SmallCnn } from '../src';
import { shapesBatch, useCpu } from './helpers';

beforeAll(useCpu);

/** Trains for up to `epochs` (stopping once valid accuracy exceeds `stopAt`); returns the last valid accuracy. */
function trainShapeType(epochs: number, stopAt: number): number {
  const n = 384;
  // Pre-shrunk to the CNN's input size so each step costs only the network.
  const train = shapesBatch(n, 'train', { size: 32, sizes: ['large'] });
  const valid = shapesBatch(200, 'valid', { size: 32, sizes: ['large'] });
  const clf = new ImageClassifier(
    new SmallCnn({ inputSize: [32, 32], channels: [8, 16, 32], strides: [2, 2, 2], seed: 1 }),
    4,
    1,
    'max',
  );
  let opt = tf.train.adam(0.01);
  const t0 = Date.now();
  let acc = 0;
  let before = 0;
  for (let epoch = 0; epoch < epochs && acc <= stopAt; epoch++) {
    if (epoch === 12) {
      // Step decay: a fresh, slower Adam past the plateau.
      opt.dispose();
      opt = tf.train.adam(0.002);
    }
    for (let b = 0; b < n; b += 32) {
      const [xb, yb] = tf.tidy(() => [
        tf.slice(train.x, [b, 0, 0, 0], [32]),
        tf.slice(train.y, [b], [32]),
      ]) as [tf.Tensor4D, tf.Tensor1D];
      clf.trainStep(opt, xb, yb);
      tf.dispose([xb, yb]);
    }
    // Adam's slots exist after its first epoch; from then on training must not leak.
    if (epoch === 0 || epoch === 12) before = tf.memory().numTensors;
    else expect(tf.memory().numTensors).toBe(before);
    acc = tf.tidy(
      () =>
        tf
          .mean(tf.cast(tf.equal(clf.predict(valid.x), valid.y), 'float32'))
          .dataSync()[0] as number,
    );
    process.stderr.write(
      `shape-type epoch ${epoch}: valid acc ${acc.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  }
  clf.extractor.dispose();
  clf.dispose();
  opt.dispose();
  tf.dispose([train.x, train.y, valid.x, valid.y]);
  return acc;
}

it('learns shape type well above chance (25%) in a few epochs', () => {
  // Measured on this seed: 0.405, 0.575, 0.645, 0.675, 0.715, 0.755 after epochs 0–5.
  expect(trainShapeType(6, 0.65)).toBeGreaterThan(0.6);
}, 300_000);

// Long run (SEQLAB_LONG_TESTS=1): measured 0.905 at epoch 22 (348 s on a loaded 2-core box; plateau 0.89–0.90 from epoch 14).
it.runIf(process.env.SEQLAB_LONG_TESTS === '1')(
  'reaches > 90% on unseen valid scenes',
  () => {
    expect(trainShapeType(30, 0.9)).toBeGreaterThan(0.9);
  },
  900_000,
);
