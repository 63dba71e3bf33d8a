// Small shared building blocks: embedding lookup, seeded dropout, dense layers over [b, t, d].
import * as tf from '@tensorflow/tfjs-core';

/** Look up rows of `table` [V, E] for int32 ids of any shape → [...ids.shape, E]. */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  return tf.gather(table, ids.dtype === 'int32' ? ids : tf.cast(ids, 'int32'));
}

/** Per-forward-pass dropout settings; `seed` makes the masks reproducible. */
export interface DropoutCtx {
  training: boolean;
  rate: number;
  /** Base seed; each dropout call in a pass gets `seed + k` with its own k. */
  seed: number;
  counter: number;
}

export function dropoutCtx(training: boolean, rate: number, seed = 0): DropoutCtx {
  return { training, rate, seed, counter: 0 };
}

/** Inverted dropout, identity outside training. */
export function dropout<T extends tf.Tensor>(x: T, ctx: DropoutCtx | undefined): T {
  if (!ctx?.training || ctx.rate <= 0) return x;
  ctx.counter += 1;
  return tf.dropout(x, ctx.rate, undefined, ctx.seed + ctx.counter * 7919) as T;
}

/** x [b, t, d] @ w [d, n] (+ bias) → [b, t, n] with a single 2-D matmul. */
export function dense3d(x: tf.Tensor3D, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor3D {
  return tf.tidy(() => {
    const [b, t, d] = x.shape;
    let y = tf.matMul(tf.reshape(x, [b * t, d]), w); // [b*t, n]
    if (bias) y = tf.add(y, bias);
    return tf.reshape(y, [b, t, w.shape[1]]) as tf.Tensor3D;
  });
}

/** tf.tidy for results typed as our own interfaces (tidy's container type lacks null and index signatures). */
export function tidy<T>(fn: () => T): T {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as T;
}
