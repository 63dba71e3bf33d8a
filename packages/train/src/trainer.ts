// Task-agnostic training loop: steps/epochs, validation + early stopping, callbacks, exact checkpoint/resume.

import { Rng } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { Adam } from './adam';
import {
  type CheckpointData,
  type CheckpointStore,
  decodeCheckpoint,
  encodeCheckpoint,
  type TensorMap,
} from './checkpoint';
import { trainStep } from './train-step';
import type { TrainerOptions, TrainSummary } from './trainer-types';

/**
 * @example
 * const trainer = new Trainer({ model, data, maxSteps: 200, optimizer: { lr: 3e-3 }, callbacks: { onStep: (e) => bar.update(e.step) } });
 * await trainer.run();
 * trainer.dispose();
 */
export class Trainer<B> {
  readonly optimizer: Adam;
  step = 0;
  epoch = 0;
  private readonly opts: TrainerOptions<B>;
  private readonly rng: Rng;
  private bestMetric: number | null = null;
  /** With keepBest: the weights at the best validation and their step. */
  private best: { step: number; values: Record<string, Float32Array> } | null = null;
  private lastMetric: number | null = null;
  private badValidations = 0;
  private epochStarted = false;
  private disposed = false;

  constructor(opts: TrainerOptions<B>) {
    this.opts = opts;
    this.optimizer = new Adam(opts.optimizer);
    this.rng = new Rng(opts.seed ?? 0);
  }

  /**
   * Train until maxSteps/epochs (totals, resumed steps included) or early stopping.
   * `until` overrides the limits from the options, e.g. to continue in chunks.
   */
  async run(until: { maxSteps?: number; epochs?: number } = {}): Promise<TrainSummary> {
    this.assertAlive();
    const o = this.opts;
    const cb = o.callbacks ?? {};
    const maxStepsOpt = until.maxSteps ?? o.maxSteps;
    const epochs = until.epochs ?? o.epochs ?? (maxStepsOpt != null ? Number.POSITIVE_INFINITY : 1);
    const maxSteps = maxStepsOpt ?? Number.POSITIVE_INFINITY;
    const stepOpts = { clipNorm: o.clipNorm ?? 5, nonFiniteLrFactor: o.nonFiniteLrFactor ?? 0.5 };
    let stoppedEarly = false;
    let lastLoss = Number.NaN;
    let skipped = 0;
    let nonFiniteRow = 0;
    let epochLoss = 0;
    let epochSteps = 0;
    if (!this.epochStarted) {
      o.data.startEpoch(this.epoch);
      this.epochStarted = true;
    }
    const deadline = o.deadline ?? Number.POSITIVE_INFINITY;
    while (this.step < maxSteps && this.epoch < epochs && !stoppedEarly && Date.now() < deadline) {
      const batch = o.data.next();
      if (batch === null) {
        cb.onEpoch?.({
          epoch: this.epoch,
          step: this.step,
          meanLoss: epochSteps ? epochLoss / epochSteps : Number.NaN,
        });
        epochLoss = 0;
        epochSteps = 0;
        if (o.validate && !o.validateEvery) stoppedEarly = await this.validate();
        this.epoch += 1;
        if (this.epoch < epochs) o.data.startEpoch(this.epoch);
        continue;
      }
      const t0 = performance.now();
      const seed = this.rng.nextSeed();
      let r: { loss: number; gradNorm: number; skipped: boolean; lr: number };
      if (o.engine) {
        // The optimizer's rate is the one schedules and --lr set; the engine reports it back
        // lowered after a non-finite step, as trainStep does.
        o.engine.lr = this.optimizer.lr;
        r = o.engine.step(batch);
        this.optimizer.lr = r.lr;
      } else r = trainStep(o.model, this.optimizer, batch, seed, stepOpts);
      const dt = (performance.now() - t0) / 1000;
      this.step += 1;
      if (r.skipped) {
        skipped += 1;
        nonFiniteRow += 1;
        cb.onNonFinite?.({ step: this.step, loss: r.loss, gradNorm: r.gradNorm, newLr: r.lr });
        if (nonFiniteRow >= (o.maxNonFiniteInRow ?? 10)) {
          throw new Error(
            `Trainer: ${nonFiniteRow} consecutive non-finite steps (last loss ${r.loss}, grad norm ${r.gradNorm}, lr now ${r.lr}); check the data and learning rate`,
          );
        }
      } else {
        nonFiniteRow = 0;
        lastLoss = r.loss;
        epochLoss += r.loss;
        epochSteps += 1;
      }
      cb.onStep?.({
        step: this.step,
        epoch: this.epoch,
        loss: r.loss,
        gradNorm: r.gradNorm,
        tokensPerSec: o.model.countTokens(batch) / Math.max(dt, 1e-9),
        lr: r.lr,
      });
      if (o.validate && o.validateEvery && this.step % o.validateEvery === 0)
        stoppedEarly = await this.validate();
      if (o.checkpoint?.every && this.step % o.checkpoint.every === 0) await this.save();
    }
    if (o.checkpoint) await this.save();
    this.pullEngine();
    let bestStep: number | null = null;
    if (o.keepBest && this.best && this.best.step !== this.step) {
      this.setWeights(this.best.values);
      bestStep = this.best.step;
    }
    return {
      steps: this.step,
      epochs: this.epoch,
      stoppedEarly,
      bestMetric: this.bestMetric,
      lastLoss,
      skippedSteps: skipped,
      bestStep,
    };
  }

  /** Run the validation callback, update best/patience; returns true when training should stop. */
  private async validate(): Promise<boolean> {
    const o = this.opts;
    if (!o.validate) return false;
    this.pullEngine();
    const metric = await o.validate(this.step);
    const sign = (o.metricMode ?? 'max') === 'max' ? 1 : -1;
    const minDelta = o.earlyStopping?.minDelta ?? 0;
    const improved = this.bestMetric === null || sign * (metric - this.bestMetric) > minDelta;
    if (improved) {
      this.bestMetric = metric;
      this.badValidations = 0;
      if (o.keepBest) this.best = { step: this.step, values: o.model.params.read() };
    } else {
      this.badValidations += 1;
    }
    this.lastMetric = metric;
    o.callbacks?.onValidation?.({
      step: this.step,
      epoch: this.epoch,
      metric,
      best: this.bestMetric as number,
      improved,
    });
    const es = o.earlyStopping;
    if (!es) return false;
    if (es.target != null && sign * (metric - es.target) >= 0) return true;
    return es.patience != null && this.badValidations >= es.patience;
  }

  /** Snapshot of the full training state. */
  checkpointData(): CheckpointData {
    this.assertAlive();
    this.pullEngine();
    const tensors: TensorMap = {};
    const shapes = this.opts.model.params.shapes();
    for (const [name, data] of Object.entries(this.opts.model.params.read()))
      tensors[`param/${name}`] = { shape: shapes[name] as number[], data };
    const engine = this.opts.engine;
    const adam = engine
      ? { config: { ...this.optimizer.config }, ...engine.adamState() }
      : this.optimizer.getState();
    for (const [name, data] of Object.entries(adam.m))
      tensors[`adam_m/${name}`] = { shape: shapes[name] as number[], data };
    for (const [name, data] of Object.entries(adam.v))
      tensors[`adam_v/${name}`] = { shape: shapes[name] as number[], data };
    if (this.best) {
      for (const [name, data] of Object.entries(this.best.values))
        tensors[`best/${name}`] = { shape: shapes[name] as number[], data };
    }
    return {
      meta: {
        config: this.opts.model.config,
        step: this.step,
        epoch: this.epoch,
        dataPosition: this.opts.data.getPosition(),
        rng: this.rng.getState(),
        optimizer: { config: adam.config, iterations: adam.iterations },
        trainer: {
          bestMetric: this.bestMetric,
          badValidations: this.badValidations,
          lastMetric: this.lastMetric,
          ...(this.best ? { bestStep: this.best.step } : {}),
        },
        createdAt: new Date().toISOString(),
      },
      tensors,
    };
  }

  /** Write a checkpoint to `store` (default: the configured one). */
  async save(store = this.opts.checkpoint?.store): Promise<void> {
    if (!store)
      throw new Error(
        'Trainer.save: no checkpoint store given and none configured in options.checkpoint',
      );
    const bytes = encodeCheckpoint(this.checkpointData());
    await store.save(bytes);
    this.opts.callbacks?.onCheckpoint?.({
      step: this.step,
      location: store.location,
      bytes: bytes.length,
    });
  }

  /**
   * Restore weights, optimizer, counters, data position and RNG from `store`.
   * Returns false when the store holds no checkpoint yet.
   */
  async resume(store = this.opts.checkpoint?.store): Promise<boolean> {
    this.assertAlive();
    if (!store)
      throw new Error(
        'Trainer.resume: no checkpoint store given and none configured in options.checkpoint',
      );
    const bytes = await store.load();
    if (!bytes) return false;
    this.restore(decodeCheckpoint(bytes, store.location));
    return true;
  }

  restore(ckpt: CheckpointData): void {
    this.assertAlive();
    const { meta, tensors } = ckpt;
    const params: Record<string, tf.Tensor> = {};
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    const best: Record<string, Float32Array> = {};
    for (const [key, t] of Object.entries(tensors)) {
      const slash = key.indexOf('/');
      const kind = key.slice(0, slash);
      const name = key.slice(slash + 1);
      if (kind === 'param') params[name] = tf.tensor(t.data, t.shape, 'float32');
      else if (kind === 'adam_m') m[name] = t.data;
      else if (kind === 'adam_v') v[name] = t.data;
      else if (kind === 'best') best[name] = t.data;
    }
    try {
      const expected = this.opts.model.params.names();
      const missing = expected.filter((n) => !params[n]);
      if (missing.length)
        throw new Error(
          `Trainer.restore: checkpoint lacks parameters ${missing.join(', ')} (was it written for another model config?)`,
        );
      this.opts.model.params.assign(params);
    } finally {
      tf.dispose(Object.values(params));
    }
    this.optimizer.setState(
      { config: meta.optimizer.config, iterations: meta.optimizer.iterations, m, v },
      this.opts.model.params,
    );
    this.step = meta.step;
    this.epoch = meta.epoch;
    this.rng.setState(meta.rng);
    this.bestMetric = meta.trainer.bestMetric;
    this.badValidations = meta.trainer.badValidations;
    this.lastMetric = meta.trainer.lastMetric;
    const bestStep = meta.trainer.bestStep;
    this.best =
      typeof bestStep === 'number' && Object.keys(best).length
        ? { step: bestStep, values: best }
        : null;
    this.opts.data.setPosition(meta.dataPosition);
    this.epochStarted = true;
    const engine = this.opts.engine;
    if (engine) {
      engine.setWeights(this.opts.model.params.read());
      if (Object.keys(m).length)
        engine.setAdamState({ iterations: meta.optimizer.iterations, m, v });
    }
  }

  /**
   * Replace the model's weights (and the engine's, with one), e.g. by a mean of checkpoints after
   * a run; the next step trains from them.
   *
   * @example trainer.setWeights(averageWeights([a, b]));
   */
  setWeights(values: Record<string, Float32Array>): void {
    this.assertAlive();
    this.assignParams(values);
    this.opts.engine?.setWeights(values);
  }

  /** With an engine: its weights into the model (before anything reads the model). */
  private pullEngine(): void {
    if (this.opts.engine) this.assignParams(this.opts.engine.weights());
  }

  private assignParams(values: Record<string, Float32Array>): void {
    const shapes = this.opts.model.params.shapes();
    const ts: Record<string, tf.Tensor> = {};
    for (const [name, data] of Object.entries(values))
      ts[name] = tf.tensor(data, shapes[name] as number[], 'float32');
    try {
      this.opts.model.params.assign(ts);
    } finally {
      tf.dispose(Object.values(ts));
    }
  }

  /** Frees the optimizer state; the model stays owned (and disposed) by the caller. */
  dispose(): void {
    this.optimizer.dispose();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed)
      throw new Error(
        'Trainer: used after dispose(); create a new Trainer (resume() restores its state)',
      );
  }
}

/** Read only the checkpoint's metadata (e.g. its model config, to build the model before resuming). */
export async function readCheckpointMeta(store: CheckpointStore) {
  const bytes = await store.load();
  return bytes ? decodeCheckpoint(bytes, store.location).meta : null;
}
