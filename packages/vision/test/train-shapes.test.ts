// Trainability: a tiny CNN learns Shapes' shape type (circle/square/triangle/star) from a few hundred scenes.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { ImageClassifier, SmallCnn } from '../src';
import { shapesBatch, useCpu } from './helpers';

beforeAll(useCpu);

it('classifies shape type on unseen valid scenes above 90%', () => {
  const n = 384;
  const train = shapesBatch(n, 'train');
  const valid = shapesBatch(200, 'valid');
  const clf = new ImageClassifier(new SmallCnn({ inputSize: [32, 32], channels: [8, 16, 32], strides: [2, 2, 2], seed: 1 }), 4, 1, 'max');
  const opt = tf.train.adam(0.02);
  const before = tf.memory().numTensors;
  let acc = 0;
  const log: string[] = [];
  for (let epoch = 0; epoch < 30 && acc <= 0.92; epoch++) {
    for (let b = 0; b < n; b += 32) {
      const [xb, yb] = tf.tidy(() => [tf.slice(train.x, [b, 0, 0, 0], [32]), tf.slice(train.y, [b], [32])]) as [tf.Tensor4D, tf.Tensor1D];
      clf.trainStep(opt, xb, yb);
      tf.dispose([xb, yb]);
    }
    acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(clf.predict(valid.x), valid.y), 'float32')).dataSync()[0] as number);
    log.push(`epoch ${epoch}: valid acc ${acc.toFixed(3)}`);
  }
  console.log(log.join('\n'));
  // Adam's slots are created on the first step; after that training must not leak.
  expect(tf.memory().numTensors).toBeLessThanOrEqual(before + clf.trainableWeights.length * 2 + 2);
  expect(acc).toBeGreaterThan(0.9);
  clf.extractor.dispose();
  clf.dispose();
  opt.dispose();
  tf.dispose([train.x, train.y, valid.x, valid.y]);
}, 600_000);
