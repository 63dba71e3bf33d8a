// Masked softmax cross-entropy over target tokens with optional label smoothing.

import { PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Mean per-token loss over non-PAD targets.
 * With smoothing ε the target distribution is (1-ε)·onehot + ε/V (Szegedy et al.),
 * i.e. loss = (1-ε)·NLL + ε·mean_v(-log p_v).
 *
 * @example
 * const loss = maskedCrossEntropy(logits, targets, 0.1); // scalar
 */
export function maskedCrossEntropy(
  logits: tf.Tensor3D, // [b, L, V]
  targets: tf.Tensor2D, // [b, L] int32, PAD = 0 ignored
  labelSmoothing = 0,
): tf.Scalar {
  if (logits.shape[0] !== targets.shape[0] || logits.shape[1] !== targets.shape[1]) {
    throw new Error(
      `maskedCrossEntropy: logits [${logits.shape}] and targets [${targets.shape}] disagree on [batch, length]`,
    );
  }
  return tf.tidy(() => {
    const V = logits.shape[2];
    const logp = tf.logSoftmax(logits); // [b, L, V]
    const ids = targets.dtype === 'int32' ? targets : tf.cast(targets, 'int32');
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(ids, V)), -1)); // [b, L]
    let tok = nll;
    if (labelSmoothing > 0) {
      const smooth = tf.neg(tf.mean(logp, -1)); // [b, L]
      tok = tf.add(tf.mul(nll, 1 - labelSmoothing), tf.mul(smooth, labelSmoothing));
    }
    const mask = tf.cast(tf.notEqual(ids, PAD), 'float32'); // [b, L]
    const n = tf.maximum(tf.sum(mask), 1);
    return tf.div(tf.sum(tf.mul(tok, mask)), n) as tf.Scalar;
  });
}

/** Sum of log-probabilities of each row's targets [b] (PAD ignored) — used to score hypotheses. */
export function sequenceLogProb(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const logp = tf.logSoftmax(logits); // [b, L, V]
    const ids = targets.dtype === 'int32' ? targets : tf.cast(targets, 'int32');
    const picked = tf.sum(tf.mul(logp, tf.oneHot(ids, logits.shape[2])), -1); // [b, L]
    const mask = tf.cast(tf.notEqual(ids, PAD), 'float32');
    return tf.sum(tf.mul(picked, mask), -1) as tf.Tensor1D;
  });
}
