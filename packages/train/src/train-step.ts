// One optimisation step: loss + gradients, non-finite guard, global-norm clipping, Adam update.
import { clipScale, globalNormTensor } from '@seqlab/rnn';
import type { TrainableModel } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import type { Adam } from './adam';

export interface TrainStepOptions {
  /** Clip gradients to this global L2 norm. */
  clipNorm: number;
  /** Multiply the learning rate by this after a non-finite loss or gradient. */
  nonFiniteLrFactor: number;
}

export interface TrainStepResult {
  loss: number;
  /** Global gradient norm before clipping (NaN when the loss was already non-finite). */
  gradNorm: number;
  /** True when the update was not applied because loss or gradients were not finite. */
  skipped: boolean;
  /** Learning rate after the step (lowered when skipped). */
  lr: number;
}

/**
 * Compute the loss of `batch` and its gradients, clip them by global norm (Pascanu et al. 2013)
 * and apply Adam — unless the loss or the gradient norm is NaN/Inf, in which case nothing is
 * applied and the learning rate is reduced (the caller reports it). One device→host sync
 * (loss and norm together).
 *
 * @example
 * const r = trainStep(model, adam, batch, 1234, { clipNorm: 5, nonFiniteLrFactor: 0.5 });
 */
export function trainStep<B>(
  model: TrainableModel<B>,
  optimizer: Adam,
  batch: B,
  seed: number,
  opts: TrainStepOptions,
): TrainStepResult {
  if (!(opts.clipNorm > 0))
    throw new Error(`trainStep: clipNorm must be > 0, got ${opts.clipNorm}`);
  const entries = model.params.entries();
  const byTfName = new Map(entries.map(([n, v]) => [v.name, n]));
  const { value, grads } = tf.variableGrads(
    () => model.loss(batch, { training: true, seed }),
    entries.map(([, v]) => v),
  );
  const named: Record<string, tf.Tensor> = {};
  // Variables off the loss path (e.g. batch-norm moving statistics) come back without a gradient.
  for (const [tfName, g] of Object.entries(grads)) if (g) named[byTfName.get(tfName) ?? tfName] = g;
  const norm = globalNormTensor(named);
  const both = tf.tidy(() => tf.stack([value, norm]));
  const [loss, gradNorm] = Array.from(both.dataSync()) as [number, number];
  tf.dispose([value, norm, both]);
  if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
    tf.dispose(Object.values(named));
    optimizer.lr = optimizer.lr * opts.nonFiniteLrFactor;
    return {
      loss,
      gradNorm: Number.isFinite(loss) ? gradNorm : Number.NaN,
      skipped: true,
      lr: optimizer.lr,
    };
  }
  optimizer.apply(model.params, named, clipScale(gradNorm, opts.clipNorm));
  tf.dispose(Object.values(named));
  return { loss, gradNorm, skipped: false, lr: optimizer.lr };
}
