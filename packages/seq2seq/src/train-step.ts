// One optimisation step: loss + gradients, non-finite guard, global-norm clipping, Adam update.
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from './adam';
import type { TrainableModel } from './model';
import { clipByGlobalNorm } from './recurrent';

export interface TrainStepOptions {
  /** Clip gradients to this global L2 norm. */
  clipNorm: number;
  /** Multiply the learning rate by this after a non-finite loss or gradient. */
  nonFiniteLrFactor: number;
}

export interface TrainStepResult {
  loss: number;
  /** Global gradient norm before clipping (NaN/Infinity when the step was skipped for it). */
  gradNorm: number;
  /** True when the update was not applied because loss or gradients were not finite. */
  skipped: boolean;
  /** Learning rate after the step (lowered when skipped). */
  lr: number;
}

/**
 * Compute the loss of `batch`, its gradients by parameter name, and apply Adam —
 * unless the loss or the gradient norm is NaN/Inf, in which case nothing is applied
 * and the learning rate is reduced (the caller reports it).
 *
 * @example
 * const r = trainStep(model, adam, batch, 1234, { clipNorm: 5, nonFiniteLrFactor: 0.5 });
 */
export function trainStep<B>(model: TrainableModel<B>, optimizer: Adam, batch: B, seed: number, opts: TrainStepOptions): TrainStepResult {
  const entries = model.params.entries();
  const byTfName = new Map(entries.map(([n, v]) => [v.name, n]));
  const { value, grads } = tf.variableGrads(() => model.loss(batch, { training: true, seed }), entries.map(([, v]) => v));
  const loss = value.dataSync()[0] as number;
  value.dispose();
  const named: Record<string, tf.Tensor> = {};
  for (const [tfName, g] of Object.entries(grads)) named[byTfName.get(tfName) ?? tfName] = g;
  if (!Number.isFinite(loss)) {
    tf.dispose(Object.values(named));
    return skip(optimizer, loss, Number.NaN, opts);
  }
  const clipped = clipByGlobalNorm(named, opts.clipNorm);
  tf.dispose(Object.values(named));
  if (!Number.isFinite(clipped.norm)) {
    tf.dispose(Object.values(clipped.grads));
    return skip(optimizer, loss, clipped.norm, opts);
  }
  optimizer.apply(model.params, clipped.grads);
  tf.dispose(Object.values(clipped.grads));
  return { loss, gradNorm: clipped.norm, skipped: false, lr: optimizer.lr };
}

function skip(optimizer: Adam, loss: number, gradNorm: number, opts: TrainStepOptions): TrainStepResult {
  optimizer.lr = optimizer.lr * opts.nonFiniteLrFactor;
  return { loss, gradNorm, skipped: true, lr: optimizer.lr };
}
