// Truncated backpropagation through time: chunks of k steps, state carried forward, gradients cut between chunks.
import * as tf from '@tensorflow/tfjs-core';

/** What one chunk's step returns: its loss and the state to carry into the next chunk. */
export interface ChunkResult {
  loss: tf.Scalar;
  state: tf.Tensor[];
}

/** Arguments of {@link truncatedBptt}. */
export interface TruncatedBpttArgs {
  /** Long sequence [b, T, in] (batch-major). */
  x: tf.Tensor3D;
  /** Steps per chunk (k). The last chunk may be shorter. */
  chunk: number;
  /** Builds the chunk's loss from its slice and the carried state (differentiable). */
  step: (chunkX: tf.Tensor3D, state: tf.Tensor[], chunkIndex: number) => ChunkResult;
  /** State entering the first chunk. */
  initialState: tf.Tensor[];
  /** Applies each chunk's gradients; without it the gradients are only returned via onGrads. */
  optimizer?: tf.Optimizer;
  /** Trainable variables; default: all trainable variables the loss touches. */
  varList?: tf.Variable[];
  /** Sees each chunk's gradients before they are applied (e.g. for clipping or logging); may return replacements. */
  // biome-ignore lint/suspicious/noConfusingVoidType: observers usually return nothing
  onGrads?: (grads: tf.NamedTensorMap, chunkIndex: number) => tf.NamedTensorMap | void;
}

/**
 * Runs `step` over consecutive chunks of `chunk` steps. The state passed to chunk i+1 is a
 * plain copy of chunk i's final state, so no gradient flows across the boundary.
 * Returns the per-chunk losses and the final state (caller disposes it).
 * @example
 * const { losses, state } = truncatedBptt({ x, chunk: 20, initialState: [h0, c0], optimizer,
 *   step: (cx, [h, c]) => { const r = lstm(cx, w, { initialState: { h, c } }); return { loss: mse(r.sequence), state: [r.h, r.c] }; } });
 */
export function truncatedBptt(args: TruncatedBpttArgs): { losses: number[]; state: tf.Tensor[] } {
  const { x, chunk, step } = args;
  const [b, T, inSize] = x.shape;
  if (!Number.isInteger(chunk) || chunk < 1)
    throw new Error(`truncatedBptt: expected chunk to be a positive integer, got ${chunk}`);
  let state = args.initialState.map((s) => tf.clone(s));
  const losses: number[] = [];
  for (let start = 0, idx = 0; start < T; start += chunk, idx++) {
    const len = Math.min(chunk, T - start);
    const cx = tf.slice(x, [0, start, 0], [b, len, inSize]) as tf.Tensor3D;
    let carried: tf.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const r = step(cx, state, idx);
      // Cut the graph: the next chunk sees values, not the computation that produced them.
      carried = r.state.map((s) => tf.keep(tf.clone(s)));
      return r.loss;
    }, args.varList);
    const replaced = args.onGrads?.(grads, idx);
    const use = replaced ?? grads;
    if (args.optimizer) args.optimizer.applyGradients(use);
    losses.push(value.dataSync()[0] as number);
    tf.dispose([value, cx, ...state, ...Object.values(grads)]);
    if (replaced)
      tf.dispose(Object.values(replaced).filter((t) => !Object.values(grads).includes(t)));
    state = carried;
  }
  return { losses, state };
}
