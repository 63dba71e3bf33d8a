// Gradient lab: SimpleRNN, GRU or LSTM trained on the adding problem or the copy task, with the gradient of the
// loss with respect to every hidden state read from the same backward pass that trains it.
import { gatesFromPreactivation, gruStep, identity, orthogonal } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { variableFrom } from './params';
import { seededUniform, uniformArray } from './seeded';
import type { TaskBatch } from './tasks';

/** Settings of one {@link GradientLabModel}; each is one of the primer's fixes. */
export interface GradientLabConfig {
  cell: 'simpleRNN' | 'gru' | 'lstm';
  /** Adding problem (regression, mean squared error) or copy task (symbols, cross-entropy). */
  task: 'adding' | 'copy';
  /** Copy task: symbols to copy (the head's classes); ignored for adding. */
  symbols: number;
  units: number;
  /** Input features per step (2 for the adding problem, symbols + 2 for the copy task). */
  features: number;
  /** SimpleRNN nonlinearity (GRU and LSTM always use tanh/sigmoid). */
  activation: 'tanh' | 'relu';
  /**
   * Recurrent weight init: 'orthogonal' (norm-preserving), 'glorot' (uniform, Glorot bound) or
   * 'identity' (IRNN, Le et al. 2015: identity recurrent matrix; with ReLU it starts by copying
   * the state forward).
   */
  init: 'orthogonal' | 'glorot' | 'identity';
  /** Scale of the recurrent init; > 1 makes gradients explode, < 1 vanish. */
  gain: number;
  /** Clip the global gradient norm to this value; null = no clipping. */
  clip: number | null;
  /** Truncated BPTT: backpropagate through only the last k steps; null = full BPTT. */
  truncate: number | null;
  learningRate: number;
  seed: number;
}

/** Defaults: a 16-unit tanh SimpleRNN, orthogonal init, no fixes. */
export const DEFAULT_GRADIENT_LAB: GradientLabConfig = {
  cell: 'simpleRNN',
  task: 'adding',
  symbols: 8,
  units: 16,
  features: 2,
  activation: 'tanh',
  init: 'orthogonal',
  gain: 1,
  clip: null,
  truncate: null,
  learningRate: 0.01,
  seed: 1,
};

/** What one training step measured. */
export interface GradientLabStep {
  /** The task's loss before the update (MSE for adding, nats per symbol for copy). */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Global norm of the update actually applied (after clipping). */
  appliedNorm: number;
  /** ||dLoss/dh_t|| for t = 0..T-1 (zero where truncation cut the gradient off). */
  stepNorms: number[];
}

const GATES = { simpleRNN: 1, gru: 3, lstm: 4 } as const;

/**
 * A recurrent regressor (last hidden state → one number) whose training step also reports how
 * much gradient reached each time step.
 * @example
 * const m = new GradientLabModel({ ...DEFAULT_GRADIENT_LAB, cell: 'lstm' });
 * const s = m.trainStep(addingBatch(32, 40, 1)); // s.loss, s.stepNorms[0] (gradient at step 0)
 * m.dispose();
 */
export class GradientLabModel {
  readonly config: GradientLabConfig;
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.Optimizer;

  constructor(config: GradientLabConfig) {
    this.config = checkConfig(config);
    const { units: u, features: f, seed, gain } = this.config;
    const g = GATES[this.config.cell];
    const rec = new Float32Array(u * g * u);
    for (let k = 0; k < g; k++) {
      const block =
        this.config.init === 'identity'
          ? identity(u, u, gain)
          : this.config.init === 'orthogonal'
            ? orthogonal(u, u, seed + 10 + k, gain)
            : uniformArray(u * u, gain * Math.sqrt(6 / (2 * u)), seed + 10 + k);
      for (let i = 0; i < u; i++) rec.set(block.subarray(i * u, (i + 1) * u), i * g * u + k * u);
    }
    const bias = new Float32Array(g * u);
    if (this.config.cell === 'lstm') bias.fill(1, u, 2 * u); // forget bias 1
    const scratch = seededUniform([f, g * u], Math.sqrt(6 / (f + g * u)), seed);
    const out = this.config.task === 'copy' ? this.config.symbols : 1;
    const head = seededUniform([u, out], Math.sqrt(6 / (u + out)), seed + 1);
    this.vars = [
      variableFrom(scratch),
      variableFrom(tf.tensor2d(rec, [u, g * u])),
      variableFrom(tf.tensor1d(bias)),
      variableFrom(head),
      variableFrom(tf.zeros([out])),
    ];
    this.optimizer = tf.train.adam(this.config.learningRate);
  }

  /** One recurrent step: x [b, f], states → new states (states[0] is h). */
  private step(x: tf.Tensor2D, states: tf.Tensor2D[], w: tf.Tensor[]): tf.Tensor2D[] {
    const [kernel, rk, bias] = w as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const h = states[0] as tf.Tensor2D;
    const xp = tf.add(tf.matMul(x, kernel), bias) as tf.Tensor2D;
    if (this.config.cell === 'gru') return [gruStep(xp, h, rk)];
    if (this.config.cell === 'lstm') {
      const s = gatesFromPreactivation(
        tf.add(xp, tf.matMul(h, rk)) as tf.Tensor2D,
        states[1] as tf.Tensor2D,
      );
      return [s.h, s.c];
    }
    const pre = tf.add(xp, tf.matMul(h, rk));
    return [(this.config.activation === 'relu' ? tf.relu(pre) : tf.tanh(pre)) as tf.Tensor2D];
  }

  /** Trains on one batch; returns loss, norms and the per-step gradient of the loss w.r.t. h_t. */
  trainStep(batch: TaskBatch): GradientLabStep {
    const { batch: b, time: T, features: f } = this.checkBatch(batch);
    const u = this.config.units;
    const k = this.config.truncate === null ? T : Math.min(this.config.truncate, T);
    const start = T - k;
    const nStates = this.config.cell === 'lstm' ? 2 : 1;
    return tf.tidy(() => {
      const xs = tf.unstack(tf.tensor3d(batch.x, [b, T, f]), 1) as tf.Tensor2D[]; // T × [b, f]
      const outFrom = T - batch.outputSteps; // first scored step
      // Steps before the truncation window run forward only: their values enter, their gradients never do.
      let states = Array.from({ length: nStates }, () => tf.zeros([b, u]) as tf.Tensor2D);
      const fixedOuts: tf.Tensor2D[] = [];
      for (let t = 0; t < start; t++) {
        states = this.step(xs[t] as tf.Tensor2D, states, this.vars);
        if (t >= outFrom) fixedOuts.push(states[0] as tf.Tensor2D);
      }
      const init = states;
      // e_t = 0 added to h_t: d loss / d e_t is d loss / d h_t, from the same backward pass.
      const es = Array.from({ length: k }, () => tf.zeros([b, u]) as tf.Tensor2D);
      const nv = this.vars.length;
      const lossFn = (...args: tf.Tensor[]): tf.Scalar => {
        const w = args.slice(0, nv);
        let s = init;
        const outs = [...fixedOuts];
        for (let t = 0; t < k; t++) {
          s = this.step(xs[start + t] as tf.Tensor2D, s, w);
          s = [
            tf.add(s[0] as tf.Tensor2D, args[nv + t] as tf.Tensor2D) as tf.Tensor2D,
            ...s.slice(1),
          ];
          if (start + t >= outFrom) outs.push(s[0] as tf.Tensor2D);
        }
        return this.taskLoss(outs, batch, w[3] as tf.Tensor2D, w[4] as tf.Tensor1D);
      };
      const { value, grads } = tf.valueAndGrads(lossFn)([...this.vars, ...es]);
      const wGrads = grads.slice(0, nv);
      const norm = tf.sqrt(tf.addN(wGrads.map((g) => tf.sum(tf.square(g)))));
      const stepN = tf.stack(grads.slice(nv).map((g) => tf.norm(g)));
      const [lossV, normV] = [value.dataSync()[0] as number, norm.dataSync()[0] as number];
      const stepV = Array.from(stepN.dataSync());
      // Pascanu et al. 2013: rescale the whole gradient when its norm exceeds the threshold.
      const clip = this.config.clip;
      const scale = clip !== null && Number.isFinite(normV) && normV > clip ? clip / normV : 1;
      if (Number.isFinite(normV)) {
        this.optimizer.applyGradients(
          this.vars.map((v, i) => ({
            name: v.name,
            tensor: tf.mul(wGrads[i] as tf.Tensor, scale),
          })),
        );
      }
      return {
        loss: lossV,
        gradNorm: normV,
        appliedNorm: Number.isFinite(normV) ? normV * scale : normV,
        stepNorms: [...new Array<number>(start).fill(0), ...stepV],
      };
    });
  }

  /** The task's loss on a batch, no update. */
  evaluate(batch: TaskBatch): number {
    const { batch: b, time: T, features: f } = this.checkBatch(batch);
    return tf.tidy(() => {
      const xs = tf.unstack(tf.tensor3d(batch.x, [b, T, f]), 1) as tf.Tensor2D[];
      let s = Array.from(
        { length: this.config.cell === 'lstm' ? 2 : 1 },
        () => tf.zeros([b, this.config.units]) as tf.Tensor2D,
      );
      const outs: tf.Tensor2D[] = [];
      xs.forEach((x, t) => {
        s = this.step(x, s, this.vars);
        if (t >= T - batch.outputSteps) outs.push(s[0] as tf.Tensor2D);
      });
      const head = [this.vars[3] as tf.Tensor2D, this.vars[4] as tf.Tensor1D] as const;
      return this.taskLoss(outs, batch, ...head).dataSync()[0] as number;
    });
  }

  /** Adding: MSE of the last state's prediction. Copy: cross-entropy of each scored step's symbol. */
  private taskLoss(
    outs: tf.Tensor2D[],
    batch: TaskBatch,
    hk: tf.Tensor2D,
    hb: tf.Tensor1D,
  ): tf.Scalar {
    const b = batch.batch;
    if (batch.task === 'adding') {
      const pred = tf.add(tf.matMul(outs[outs.length - 1] as tf.Tensor2D, hk), hb);
      return tf.mean(tf.square(tf.sub(pred, tf.tensor2d(batch.y, [b, 1])))) as tf.Scalar;
    }
    const L = batch.outputSteps;
    const h = tf.reshape(tf.stack(outs), [L * b, this.config.units]); // [L*b, u], step-major
    const logp = tf.logSoftmax(tf.add(tf.matMul(h, hk), hb)); // [L*b, symbols]
    const labels = tf.reshape(tf.transpose(tf.tensor2d(batch.y, [b, L])), [L * b]);
    const onehot = tf.oneHot(tf.cast(labels, 'int32'), this.config.symbols);
    return tf.neg(tf.mean(tf.sum(tf.mul(logp, onehot), 1))) as tf.Scalar;
  }

  private checkBatch(batch: TaskBatch): TaskBatch {
    if (batch.task !== this.config.task || batch.features !== this.config.features) {
      throw new Error(
        `GradientLabModel: expected a ${this.config.task} batch with ${this.config.features} features per step, got ${batch.task} with ${batch.features}`,
      );
    }
    return batch;
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}

function checkConfig(c: GradientLabConfig): GradientLabConfig {
  if (c.task !== 'adding' && c.task !== 'copy')
    throw new Error(`GradientLabModel: task '${String(c.task)}' unknown; valid: adding, copy`);
  if (c.task === 'copy' && (!Number.isInteger(c.symbols) || c.symbols < 2))
    throw new Error(`GradientLabModel: the copy task needs symbols ≥ 2, got ${c.symbols}`);
  if (!(c.cell in GATES))
    throw new Error(
      `GradientLabModel: cell '${String(c.cell)}' unknown; valid: simpleRNN, gru, lstm`,
    );
  if (!['tanh', 'relu'].includes(c.activation))
    throw new Error(
      `GradientLabModel: activation '${String(c.activation)}' unknown; valid: tanh, relu`,
    );
  if (!['orthogonal', 'glorot', 'identity'].includes(c.init))
    throw new Error(
      `GradientLabModel: init '${String(c.init)}' unknown; valid: orthogonal, glorot, identity`,
    );
  if (!Number.isInteger(c.units) || c.units < 1 || c.units > 256)
    throw new Error(`GradientLabModel: units must be an integer in 1..256, got ${c.units}`);
  if (!(c.gain > 0)) throw new Error(`GradientLabModel: gain must be > 0, got ${c.gain}`);
  if (c.clip !== null && !(c.clip > 0))
    throw new Error(`GradientLabModel: clip must be > 0 or null, got ${c.clip}`);
  if (c.truncate !== null && (!Number.isInteger(c.truncate) || c.truncate < 1))
    throw new Error(
      `GradientLabModel: truncate must be a positive integer or null, got ${c.truncate}`,
    );
  if (!(c.learningRate > 0))
    throw new Error(`GradientLabModel: learningRate must be > 0, got ${c.learningRate}`);
  return c;
}
