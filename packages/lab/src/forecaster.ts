// Time-series forecaster: an LSTM reads the last months' changes and predicts the next change as a
// Gaussian (mean and spread), then forecasts recursively with an uncertainty band.
import { initLSTMWeights, lstm } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { makeRng, seededUniform, shuffle } from './seeded';

/** Settings of a {@link Forecaster}. */
export interface ForecasterConfig {
  /** Months of history the LSTM reads per prediction. */
  window: number;
  units: number;
  /** Season length in steps (12 for monthly data): encoded as sin/cos features. */
  period: number;
  learningRate: number;
  seed: number;
}

export const DEFAULT_FORECASTER: ForecasterConfig = {
  window: 24,
  units: 16,
  period: 12,
  learningRate: 0.01,
  seed: 3,
};

/** A forecast: mean path and a 95% band, in the series' units. */
export interface Forecast {
  mean: number[];
  lower: number[];
  upper: number[];
}

/**
 * Trains on month-to-month changes (scaled), so the trend needs no extrapolation by the network.
 * Each step's input is [change, sin, cos of the month in its season]; the head outputs the mean
 * and log standard deviation of the next change, fit by Gaussian negative log-likelihood. The
 * band adds the predicted variances along the path (changes treated as independent).
 * @example
 * const f = new Forecaster(series.slice(0, -36), DEFAULT_FORECASTER);
 * for (let i = 0; i < 100; i++) f.trainEpoch(32);
 * const { mean, lower, upper } = f.forecast(36);
 * f.dispose();
 */
export class Forecaster {
  private readonly diffs: number[];
  private readonly scale: number;
  private readonly vars: tf.Variable[];
  private readonly optimizer: tf.Optimizer;
  private readonly rng: () => number;

  constructor(
    private readonly history: readonly number[],
    readonly config: ForecasterConfig = DEFAULT_FORECASTER,
  ) {
    const { window: w, units: u, period } = config;
    if (
      !Number.isInteger(w) ||
      w < 2 ||
      !Number.isInteger(u) ||
      u < 1 ||
      !Number.isInteger(period) ||
      period < 1
    ) {
      throw new Error(
        `Forecaster: expected integer window ≥ 2, units ≥ 1, period ≥ 1; got ${w}, ${u}, ${period}`,
      );
    }
    if (history.length < w + 10)
      throw new Error(
        `Forecaster: expected at least ${w + 10} values of history, got ${history.length}`,
      );
    this.diffs = history.slice(1).map((v, i) => v - (history[i] as number));
    const m = this.diffs.reduce((a, b) => a + b, 0) / this.diffs.length;
    this.scale =
      Math.sqrt(this.diffs.reduce((a, d) => a + (d - m) ** 2, 0) / this.diffs.length) || 1;
    const lw = initLSTMWeights(3, u, { seed: config.seed });
    const head = seededUniform([u, 2], Math.sqrt(6 / (u + 2)), config.seed + 7);
    this.vars = [lw.kernel, lw.recurrentKernel, lw.bias, head, tf.zeros([2])].map((t) => {
      const v = tf.variable(t);
      t.dispose();
      return v;
    });
    this.optimizer = tf.train.adam(config.learningRate);
    this.rng = makeRng(config.seed);
  }

  /** Input features for the window ending at diff index `end` (exclusive). */
  private features(diffs: readonly number[], end: number): number[][] {
    const { window: w, period } = this.config;
    const out: number[][] = [];
    for (let t = end - w; t < end; t++) {
      // diff t is the change into history index t + 1; its phase in the season:
      const phase = (2 * Math.PI * ((t + 1) % period)) / period;
      out.push([(diffs[t] as number) / this.scale, Math.sin(phase), Math.cos(phase)]);
    }
    return out;
  }

  /** [mean, logStd] of the next scaled change for each window: [b, 2]. */
  private predict(x: tf.Tensor3D, w: tf.Tensor[]): tf.Tensor2D {
    const [kernel, rk, bias, hk, hb] = w as [
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
    ];
    const { h } = lstm(x, { kernel, recurrentKernel: rk, bias }, { returnSequences: false });
    return tf.add(tf.matMul(h, hk), hb) as tf.Tensor2D;
  }

  /** One pass over every training window in shuffled batches; returns the mean NLL. */
  trainEpoch(batchSize = 32): number {
    const w = this.config.window;
    const ends = shuffle(
      Array.from({ length: this.diffs.length - w }, (_, i) => i + w),
      this.rng,
    );
    let total = 0;
    let batches = 0;
    for (let i = 0; i < ends.length; i += batchSize) {
      const chunk = ends.slice(i, i + batchSize);
      const x = tf.tensor3d(chunk.map((e) => this.features(this.diffs, e)));
      const y = tf.tensor1d(chunk.map((e) => (this.diffs[e] as number) / this.scale));
      const cost = this.optimizer.minimize(
        () => {
          const p = this.predict(x, this.vars);
          const mean = tf.squeeze(tf.slice(p, [0, 0], [-1, 1]), [1]);
          const logStd = tf.clipByValue(tf.squeeze(tf.slice(p, [0, 1], [-1, 1]), [1]), -5, 3);
          // Gaussian NLL (constant dropped): log σ + (y − μ)² / 2σ².
          return tf.mean(
            tf.add(
              logStd,
              tf.div(tf.square(tf.sub(y, mean)), tf.mul(2, tf.exp(tf.mul(2, logStd)))),
            ),
          ) as tf.Scalar;
        },
        true,
        this.vars,
      );
      total += cost?.dataSync()[0] ?? Number.NaN;
      batches++;
      tf.dispose([x, y, cost as tf.Scalar]);
    }
    return total / batches;
  }

  /** Forecasts `horizon` steps after the history, feeding each predicted mean change back in. */
  forecast(horizon: number): Forecast {
    if (!Number.isInteger(horizon) || horizon < 1)
      throw new Error(`forecast: expected a positive integer horizon, got ${horizon}`);
    const diffs = [...this.diffs];
    let level = this.history[this.history.length - 1] as number;
    let variance = 0;
    const out: Forecast = { mean: [], lower: [], upper: [] };
    for (let h = 0; h < horizon; h++) {
      const [mu, logStd] = tf.tidy(() => {
        const x = tf.tensor3d([this.features(diffs, diffs.length)]);
        return Array.from(this.predict(x, this.vars).dataSync());
      }) as [number, number];
      const d = mu * this.scale;
      const sd = Math.exp(Math.min(3, Math.max(-5, logStd))) * this.scale;
      diffs.push(d);
      level += d;
      variance += sd * sd;
      out.mean.push(level);
      out.lower.push(level - 1.96 * Math.sqrt(variance));
      out.upper.push(level + 1.96 * Math.sqrt(variance));
    }
    return out;
  }

  dispose(): void {
    tf.dispose(this.vars);
    this.optimizer.dispose();
  }
}
