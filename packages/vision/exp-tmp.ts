import * as tf from '@tensorflow/tfjs-core';
import { ImageClassifier, SmallCnn } from './src';
import { shapesBatch, useCpu } from './test/helpers';
await useCpu();
const N = 320;
const train = shapesBatch(N, 'train');
const valid = shapesBatch(200, 'valid');
const clf = new ImageClassifier(new SmallCnn({ inputSize: [32, 32], channels: [16, 32], strides: [2, 2], seed: 1 }), 4, 1);
const opt = tf.train.adam(0.02);
const t0 = Date.now();
for (let epoch = 0; epoch < 10; epoch++) {
  let loss = 0;
  for (let b = 0; b < N; b += 32) {
    const xb = tf.slice(train.x, [b, 0, 0, 0], [32]);
    const yb = tf.slice(train.y, [b], [32]);
    loss += clf.trainStep(opt, xb, yb);
    xb.dispose(); yb.dispose();
  }
  const pred = clf.predict(valid.x);
  const acc = tf.tidy(() => tf.mean(tf.cast(tf.equal(pred, valid.y), 'float32')).dataSync()[0]);
  pred.dispose();
  console.log(epoch, (loss / (N / 32)).toFixed(3), acc, Date.now() - t0, tf.memory().numTensors);
}
