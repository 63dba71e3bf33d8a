// Generic differentiable time loop with tfjs-layers masking semantics, shared by SimpleRNN, GRU and probes.
import * as tf from '@tensorflow/tfjs-core';

/** One step: projected input [b, *] and previous states → new states; states[0] is the step output. */
export type StepFn = (xp: tf.Tensor2D, states: tf.Tensor2D[], t: number) => tf.Tensor2D[];

/** Options shared by the recurrent layers built on {@link timeLoop}. */
export interface LoopOptions {
  /** 1 = valid, 0 = padding, [b, t]; a masked step carries all states forward and outputs the carried h. */
  mask?: tf.Tensor2D;
  /** Process time in reverse; outputs stay in processing order (Keras go_backwards). */
  goBackwards?: boolean;
}

/** Per-step outputs and states (time order = processing order) plus final states. */
export interface LoopResult {
  outputs: tf.Tensor2D[]; // t × [b, u]
  states: tf.Tensor2D[][]; // t × states after the step
  final: tf.Tensor2D[];
}

/** Masks as t × [b, 1] floats in processing order, or null. */
export function stepMasks(
  mask: tf.Tensor2D | undefined,
  b: number,
  t: number,
  goBackwards: boolean,
): tf.Tensor2D[] | null {
  if (!mask) return null;
  if (mask.shape[0] !== b || mask.shape[1] !== t)
    throw new Error(`expected mask [${b}, ${t}] (batch, time), got [${mask.shape}]`);
  const m = tf.cast(tf.notEqual(mask, 0), 'float32');
  const ms = tf.unstack(tf.expandDims(tf.transpose(m), 2)) as tf.Tensor2D[]; // t × [b, 1]
  return goBackwards ? ms.reverse() : ms;
}

/**
 * Runs `step` over time-major projected inputs. Call inside tf.tidy (or a gradient scope):
 * intermediate tensors are left to the caller's scope so autodiff can see them.
 * @example const r = timeLoop(xpSteps, [h0], (xp, [h]) => [tf.tanh(tf.add(xp, tf.matMul(h, U)))]);
 */
export function timeLoop(
  xp: tf.Tensor2D[],
  initial: tf.Tensor2D[],
  step: StepFn,
  masks: tf.Tensor2D[] | null,
  goBackwards = false,
): LoopResult {
  const order = goBackwards ? [...xp].reverse() : xp;
  let states = initial;
  const outputs: tf.Tensor2D[] = [];
  const all: tf.Tensor2D[][] = [];
  order.forEach((x, t) => {
    let next = step(x, states, t);
    const m = masks?.[t];
    if (m)
      next = next.map(
        (n, i) =>
          tf.add(
            states[i] as tf.Tensor2D,
            tf.mul(m, tf.sub(n, states[i] as tf.Tensor2D)),
          ) as tf.Tensor2D,
      );
    states = next;
    outputs.push(states[0] as tf.Tensor2D);
    all.push(states);
  });
  return { outputs, states: all, final: states };
}

/** One input matmul for all steps: x [b, t, in] → t × [b, out] (bias added). */
export function projectInputs(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D | null,
): tf.Tensor2D[] {
  const [b, t, inSize] = x.shape;
  const x2 = tf.reshape(tf.transpose(x, [1, 0, 2]), [t * b, inSize]); // [t*b, in]
  let p = tf.matMul(x2, kernel); // [t*b, out]
  if (bias) p = tf.add(p, bias);
  return tf.unstack(tf.reshape(p, [t, b, kernel.shape[1]])) as tf.Tensor2D[];
}

/** t × [b, u] → [b, t, u]. */
export function stackBatchMajor(outputs: tf.Tensor2D[]): tf.Tensor3D {
  return tf.stack(outputs, 1) as tf.Tensor3D;
}
