// A linear classifier head on pooled features, plus a train-step helper for pretext classification.
import { makeRng } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { ownVariable } from './batch-norm';
import type { FeatureExtractor } from './feature-extractor';

let headCounter = 0;

/**
 * Extractor + dense softmax head. Trains the extractor end to end (e.g. shape type on Shapes
 * scenes) so it can later serve a captioner.
 *
 * @example
 * const clf = new ImageClassifier(new SmallCnn(), 4, 0);
 * const loss = clf.trainStep(tf.train.adam(1e-2), images, labels); // labels: int32 [b]
 */
export class ImageClassifier {
  readonly kernel: tf.Variable; // [c, classes]
  readonly bias: tf.Variable; // [classes]

  constructor(
    readonly extractor: FeatureExtractor,
    readonly numClasses: number,
    seed = 0,
    /** 'max' over the grid finds small objects regardless of their area; 'mean' uses `pooled`. */
    readonly pooling: 'max' | 'mean' = 'max',
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 2)
      throw new Error(`ImageClassifier expected numClasses ≥ 2, got ${numClasses}`);
    const c = extractor.outputChannels;
    const limit = Math.sqrt(6 / (c + numClasses)); // Glorot-uniform
    const rng = makeRng(seed);
    const w = Float32Array.from({ length: c * numClasses }, () => (rng() * 2 - 1) * limit);
    const uid = `classifier_${headCounter++}`;
    this.kernel = ownVariable(tf.tensor2d(w, [c, numClasses]), true, `${uid}/kernel`);
    this.bias = ownVariable(tf.zeros([numClasses]), true, `${uid}/bias`);
  }

  /** Extractor weights first, then the head's. */
  get trainableWeights(): tf.Variable[] {
    return [...this.extractor.trainableWeights, this.kernel, this.bias];
  }

  logits(images: tf.Tensor4D, training = false): tf.Tensor2D {
    return tf.tidy(() => {
      const { grid, pooled } = this.extractor.features(images, { training });
      const v = this.pooling === 'max' ? (tf.max(grid, [1, 2]) as tf.Tensor2D) : pooled; // [b, c]
      return tf.add(tf.matMul(v, this.kernel as tf.Tensor2D), this.bias) as tf.Tensor2D; // [b, classes]
    });
  }

  /** Class index per image. */
  predict(images: tf.Tensor4D): tf.Tensor1D {
    return tf.tidy(() => tf.argMax(this.logits(images, false), 1) as tf.Tensor1D);
  }

  /** Mean softmax cross-entropy against int labels [b]. */
  loss(images: tf.Tensor4D, labels: tf.Tensor1D, training = true): tf.Scalar {
    return tf.tidy(() => {
      const onehot = tf.oneHot(tf.cast(labels, 'int32'), this.numClasses); // [b, classes]
      return tf.losses.softmaxCrossEntropy(onehot, this.logits(images, training)) as tf.Scalar;
    });
  }

  /** One optimizer step on a batch; returns the loss before the step. */
  trainStep(optimizer: tf.Optimizer, images: tf.Tensor4D, labels: tf.Tensor1D): number {
    return trainClassifierStep(this, optimizer, images, labels);
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias.dispose();
  }
}

/**
 * Minimises the classifier's cross-entropy over extractor + head variables (batch norm in training mode).
 *
 * @example
 * for (let e = 0; e < 10; e++) trainClassifierStep(clf, opt, x, y);
 */
export function trainClassifierStep(
  clf: ImageClassifier,
  optimizer: tf.Optimizer,
  images: tf.Tensor4D,
  labels: tf.Tensor1D,
): number {
  const cost = optimizer.minimize(() => clf.loss(images, labels, true), true, clf.trainableWeights);
  if (!cost) throw new Error('trainClassifierStep: optimizer returned no loss');
  const value = cost.dataSync()[0] as number;
  cost.dispose();
  return value;
}
