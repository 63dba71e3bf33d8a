// Fused sparse softmax cross-entropy with a padding mask (one custom-gradient op, no dense one-hot in the forward pass).
import * as tf from '@tensorflow/tfjs-core';
import { fusedLstmAvailable } from './fused-kernels';
import { registerXentKernels, XENT, XENT_GRAD } from './xent-kernels';

/**
 * Mean over unmasked rows of -log softmax(logits)[label]. logits [N, V], labels int32 [N],
 * mask [N] (1 = count, 0 = padding; default all ones). The gradient is the closed form
 * (softmax - onehot) * mask / sum(mask), computed once in a single custom-gradient op.
 * @example const loss = sparseSoftmaxCrossEntropy(logits, targets, tf.notEqual(targets, 0));
 */
export function sparseSoftmaxCrossEntropy(
  logits: tf.Tensor2D,
  labels: tf.Tensor1D,
  mask?: tf.Tensor1D,
): tf.Scalar {
  const [n, v] = logits.shape;
  if (labels.shape[0] !== n)
    throw new Error(
      `sparseSoftmaxCrossEntropy: expected labels [${n}] to match logits [${n}, ${v}], got [${labels.shape}]`,
    );
  if (mask && mask.shape[0] !== n)
    throw new Error(`sparseSoftmaxCrossEntropy: expected mask [${n}], got [${mask.shape}]`);
  registerXentKernels();
  return tf.tidy(() => {
    const lab = tf.cast(labels, 'int32') as tf.Tensor1D;
    const m = mask ? (tf.cast(mask, 'float32') as tf.Tensor1D) : (tf.ones([n]) as tf.Tensor1D);
    // cpu/wasm: one fused JS pass each way (same switch as the fused LSTM kernels).
    if (fusedLstmAvailable()) return fusedXent(logits, lab, m);
    const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const lg = args[0] as tf.Tensor2D;
      const save = args[1] as tf.GradSaveFunc;
      const logp = tf.logSoftmax(lg); // [N, V]
      // Flat gather picks one log-probability per row without materialising a one-hot.
      const flatIdx = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(v, 'int32')), lab);
      const picked = tf.gather(tf.reshape(logp, [n * v]), flatIdx); // [N]
      const denom = tf.maximum(tf.sum(m), 1);
      const value = tf.div(tf.neg(tf.sum(tf.mul(picked, m))), denom) as tf.Scalar;
      // Mask and labels live in the outer tidy, which is gone by backward time: save them too.
      save([logp, denom, m, lab]);
      return {
        value,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [lp, dn, sm, sl] = saved as [tf.Tensor2D, tf.Scalar, tf.Tensor1D, tf.Tensor1D];
          const w = tf.reshape(tf.div(tf.mul(sm, dy), dn), [n, 1]); // [N, 1]
          return tf.mul(tf.sub(tf.exp(lp), tf.oneHot(sl, v)), w);
        },
      };
    });
    return op(logits) as tf.Scalar;
  });
}

/**
 * Embedding lookup: table [V, E] gathered at int32 ids of any shape → [...ids.shape, E].
 * Differentiable on every backend (the wasm gradient needs initBackend's UnsortedSegmentSum kernel).
 * @example const e = embeddingLookup(table, ids); // ids [b, t] → [b, t, E]
 */
export function embeddingLookup(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  if (ids.dtype !== 'int32')
    throw new Error(`embeddingLookup: expected int32 ids, got ${ids.dtype}`);
  return tf.gather(table, ids);
}

function fusedXent(logits: tf.Tensor2D, lab: tf.Tensor1D, m: tf.Tensor1D): tf.Scalar {
  const run = (name: string, inputs: Record<string, tf.Tensor>) =>
    tf.engine().runKernel(name, inputs as unknown as tf.NamedTensorMap, {});
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const lg = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [rowLoss, probs] = run(XENT, { logits: lg, labels: lab }) as unknown as [
      tf.Tensor1D,
      tf.Tensor2D,
    ];
    const w = tf.div(m, tf.maximum(tf.sum(m), 1)) as tf.Tensor1D; // [N] per-row weight of the mean
    save([probs, lab, w]);
    return {
      value: tf.sum(tf.mul(rowLoss, w)) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, l, ww] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        return run(XENT_GRAD, {
          probs: p,
          labels: l,
          rowGrad: tf.mul(ww, dy),
        }) as unknown as tf.Tensor2D;
      },
    };
  });
  return op(logits) as tf.Scalar;
}
