// Batch normalisation over NHWC channels with training (batch statistics) and inference (moving averages) modes.
import * as tf from '@tensorflow/tfjs-core';

export interface BatchNormConfig {
  /** Moving average keeps this fraction of the old statistic each training step. */
  momentum: number;
  /** Added to the variance for numerical stability. */
  epsilon: number;
}

/**
 * A variable initialised from `init`, which is then disposed: tf.variable() shares the data but
 * leaves the initial tensor registered, so without this every construction leaked one tensor.
 */
export function ownVariable(init: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}

/**
 * Owns gamma/beta (trainable) and movingMean/movingVariance (non-trainable) variables.
 * `uid` makes engine-level variable names unique across instances.
 */
export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly movingMean: tf.Variable;
  readonly movingVariance: tf.Variable;

  constructor(
    readonly channels: number,
    readonly config: BatchNormConfig,
    uid: string,
  ) {
    this.gamma = ownVariable(tf.ones([channels]), true, `${uid}/gamma`);
    this.beta = ownVariable(tf.zeros([channels]), true, `${uid}/beta`);
    this.movingMean = ownVariable(tf.zeros([channels]), false, `${uid}/moving_mean`);
    this.movingVariance = ownVariable(tf.ones([channels]), false, `${uid}/moving_variance`);
  }

  /**
   * Normalises `x` [b, h, w, c]. In training mode the moving averages are updated as a side
   * effect; the moving statistics are not on the path to any loss, so they never receive gradients.
   */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) {
      return tf.batchNorm4d(
        x,
        this.movingMean as tf.Tensor1D,
        this.movingVariance as tf.Tensor1D,
        this.beta as tf.Tensor1D,
        this.gamma as tf.Tensor1D,
        this.config.epsilon,
      );
    }
    const { mean, variance } = tf.moments(x, [0, 1, 2]); // [c], [c]
    const m = this.config.momentum;
    tf.tidy(() => {
      // Unbiased variance for the running estimate, as Keras does.
      const n = x.shape[0] * x.shape[1] * x.shape[2];
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      this.movingMean.assign(tf.add(tf.mul(this.movingMean, m), tf.mul(mean, 1 - m)));
      this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, m), tf.mul(unbiased, 1 - m)));
    });
    const y = tf.batchNorm4d(
      x,
      mean as tf.Tensor1D,
      variance as tf.Tensor1D,
      this.beta as tf.Tensor1D,
      this.gamma as tf.Tensor1D,
      this.config.epsilon,
    );
    mean.dispose();
    variance.dispose();
    return y;
  }

  dispose(): void {
    for (const v of [this.gamma, this.beta, this.movingMean, this.movingVariance]) v.dispose();
  }
}
