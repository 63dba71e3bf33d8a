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
    return batchNormTraining(x, this.gamma, this.beta, this.config.epsilon, (mean, variance) => {
      const m = this.config.momentum;
      tf.tidy(() => {
        // Unbiased variance for the running estimate, as Keras does.
        const n = x.shape[0] * x.shape[1] * x.shape[2];
        const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
        this.movingMean.assign(tf.add(tf.mul(this.movingMean, m), tf.mul(mean, 1 - m)));
        this.movingVariance.assign(tf.add(tf.mul(this.movingVariance, m), tf.mul(unbiased, 1 - m)));
      });
    });
  }

  dispose(): void {
    for (const v of [this.gamma, this.beta, this.movingMean, this.movingVariance]) v.dispose();
  }
}

/**
 * Training-mode batch norm over NHWC channels with the closed-form gradient
 * dx = γ·σ⁻¹/n · (n·dy − Σdy − x̂·Σ(dy·x̂)), dγ = Σ(dy·x̂), dβ = Σdy. tfjs's own batchNorm
 * gradient broadcasts with Tile, which on wasm cost more than the convolutions around it.
 * `onStats` receives the batch mean and (biased) variance, e.g. to update moving averages.
 *
 * @example
 * const y = batchNormTraining(x, gamma, beta, 1e-3); // x [b,h,w,c], gamma/beta [c]
 */
export function batchNormTraining(
  x: tf.Tensor4D,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  onStats?: (mean: tf.Tensor1D, variance: tf.Tensor1D) => void,
): tf.Tensor4D {
  type CustomGradFn = Parameters<typeof tf.customGrad<tf.Tensor4D>>[0];
  const fn: CustomGradFn = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, g, b, save] = args as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { mean, variance } = tf.moments(xi, [0, 1, 2]);
    onStats?.(mean as tf.Tensor1D, variance as tf.Tensor1D);
    const invStd = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(tf.sub(xi, mean), invStd) as tf.Tensor4D;
    save([xhat, invStd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b) as tf.Tensor4D,
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, si, sg] = saved as [tf.Tensor4D, tf.Tensor1D, tf.Tensor1D];
        const n = sx.shape[0] * sx.shape[1] * sx.shape[2];
        const dBeta = tf.sum(dy, [0, 1, 2]);
        const dGamma = tf.sum(tf.mul(dy, sx), [0, 1, 2]);
        const scale = tf.div(tf.mul(sg, si), n);
        const dx = tf.mul(tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(sx, dGamma)), scale);
        return [dx as tf.Tensor4D, dGamma, dBeta];
      },
    };
  };
  return tf.customGrad(fn)(x, gamma, beta) as tf.Tensor4D;
}
