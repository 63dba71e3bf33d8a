// Bidirectional vs one-directional tagging: mark each digit that is a local peak (larger than both
// neighbours) — a label that depends on the next digit, which only a backward pass has read.
import {
  bidirectional,
  initLSTMWeights,
  type LSTMWeights,
  lstm,
  sparseSoftmaxCrossEntropy,
} from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { variableFrom } from './params';
import { makeRng, seededUniform } from './seeded';

/** Digits per sequence and their peak labels, row-major [batch, time]. */
export interface PeakBatch {
  digits: Int32Array;
  labels: Int32Array;
  batch: number;
  time: number;
}

/** 1 where digits[t] is larger than each neighbour that exists, else 0. */
export function peakLabels(digits: readonly number[]): number[] {
  return digits.map((d, t) => {
    const left = t > 0 ? (digits[t - 1] as number) : -1;
    const right = t + 1 < digits.length ? (digits[t + 1] as number) : -1;
    return d > left && d > right ? 1 : 0;
  });
}

/**
 * Random digit strings (0–9) with their peak labels.
 * @example const b = peakBatch(32, 12, 5); // b.digits, b.labels: [32 × 12]
 */
export function peakBatch(batch: number, time: number, seed: number): PeakBatch {
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(time) || time < 2) {
    throw new Error(`peakBatch: expected batch ≥ 1 and time ≥ 2 (integers), got ${batch}, ${time}`);
  }
  const rng = makeRng(seed);
  const digits = new Int32Array(batch * time);
  const labels = new Int32Array(batch * time);
  for (let b = 0; b < batch; b++) {
    const row = Array.from({ length: time }, () => Math.floor(rng() * 10));
    digits.set(row, b * time);
    labels.set(peakLabels(row), b * time);
  }
  return { digits, labels, batch, time };
}

/** Per-step states of one input: forward, backward (in input order) and their concatenation. */
export interface DirectionStates {
  forward: number[][];
  backward: number[][] | null;
  concat: number[][] | null;
}

/**
 * An LSTM tagger over one-hot digits; `bidirectional` adds a second LSTM reading right to left,
 * concatenated with the first before the per-step head.
 * @example
 * const t = new PeakTagger({ units: 8, bidirectional: true, seed: 1 });
 * t.trainStep(peakBatch(32, 12, 1)); t.accuracy(peakBatch(256, 12, 99));
 * t.dispose();
 */
export class PeakTagger {
  private readonly fw: LSTMWeights;
  private readonly bw: LSTMWeights | null;
  private readonly head: { kernel: tf.Variable; bias: tf.Variable };
  private readonly optimizer: tf.Optimizer;

  constructor(
    readonly opts: { units: number; bidirectional: boolean; seed: number; learningRate?: number },
  ) {
    const u = opts.units;
    if (!Number.isInteger(u) || u < 1 || u > 128)
      throw new Error(`PeakTagger: units must be an integer in 1..128, got ${u}`);
    const vars = (w: LSTMWeights): LSTMWeights => {
      const v = {
        kernel: tf.variable(w.kernel) as unknown as tf.Tensor2D,
        recurrentKernel: tf.variable(w.recurrentKernel) as unknown as tf.Tensor2D,
        bias: tf.variable(w.bias) as unknown as tf.Tensor1D,
      };
      tf.dispose([w.kernel, w.recurrentKernel, w.bias]);
      return v;
    };
    this.fw = vars(initLSTMWeights(10, u, { seed: opts.seed }));
    this.bw = opts.bidirectional ? vars(initLSTMWeights(10, u, { seed: opts.seed + 5 })) : null;
    const width = opts.bidirectional ? 2 * u : u;
    const k = seededUniform([width, 2], Math.sqrt(6 / (width + 2)), opts.seed + 9);
    this.head = { kernel: variableFrom(k), bias: variableFrom(tf.zeros([2])) };
    this.optimizer = tf.train.adam(opts.learningRate ?? 0.02);
  }

  private vars(): tf.Variable[] {
    const ws = this.bw ? [this.fw, this.bw] : [this.fw];
    return [
      ...ws.flatMap((w) => [w.kernel, w.recurrentKernel, w.bias] as unknown as tf.Variable[]),
      this.head.kernel,
      this.head.bias,
    ];
  }

  /** Merged per-step features [b, t, u or 2u]. */
  private features(digits: Int32Array, b: number, t: number): tf.Tensor3D {
    const x = tf.oneHot(tf.tensor2d(digits, [b, t], 'int32'), 10).asType('float32') as tf.Tensor3D;
    if (!this.bw) return lstm(x, this.fw).sequence as tf.Tensor3D;
    const bwW = this.bw;
    return bidirectional(
      x,
      (xx, o) => lstm(xx, this.fw, o),
      (xx, o) => lstm(xx, bwW, o),
      { mergeMode: 'concat' },
    ).output as tf.Tensor3D;
  }

  private logits(digits: Int32Array, b: number, t: number): tf.Tensor2D {
    const f = this.features(digits, b, t);
    const flat = tf.reshape(f, [b * t, f.shape[2]]);
    return tf.add(
      tf.matMul(flat, this.head.kernel as unknown as tf.Tensor2D),
      this.head.bias,
    ) as tf.Tensor2D;
  }

  /** One Adam step; returns the mean cross-entropy per digit before it. */
  trainStep(batch: PeakBatch): number {
    const labels = tf.tensor1d(batch.labels, 'int32');
    const cost = this.optimizer.minimize(
      () => sparseSoftmaxCrossEntropy(this.logits(batch.digits, batch.batch, batch.time), labels),
      true,
      this.vars(),
    );
    const loss = cost?.dataSync()[0] ?? Number.NaN;
    tf.dispose([labels, cost as tf.Scalar]);
    return loss;
  }

  /** Fraction of digits tagged right. */
  accuracy(batch: PeakBatch): number {
    return tf.tidy(() => {
      const pred = tf.argMax(this.logits(batch.digits, batch.batch, batch.time), 1);
      const right = tf.sum(tf.cast(tf.equal(pred, tf.tensor1d(batch.labels, 'int32')), 'float32'));
      return (right.dataSync()[0] as number) / batch.labels.length;
    });
  }

  /** Peak probability per digit of one sequence. */
  tag(digits: readonly number[]): number[] {
    return tf.tidy(() => {
      const p = tf.softmax(this.logits(Int32Array.from(digits), 1, digits.length));
      return Array.from(tf.slice(p, [0, 1], [digits.length, 1]).dataSync());
    });
  }

  /** The forward, backward and concatenated states for one digit sequence. */
  states(digits: readonly number[]): DirectionStates {
    if (digits.some((d) => !Number.isInteger(d) || d < 0 || d > 9)) {
      throw new Error(`PeakTagger: expected digits 0–9, got ${JSON.stringify(digits)}`);
    }
    // tidy's result type cannot carry null: read the arrays inside, assemble outside.
    let forward: number[][] = [];
    let backward: number[][] | null = null;
    tf.tidy(() => {
      const x = tf
        .oneHot(tf.tensor2d([digits as number[]], [1, digits.length], 'int32'), 10)
        .asType('float32') as tf.Tensor3D;
      forward = tf.squeeze(lstm(x, this.fw).sequence as tf.Tensor3D, [0]).arraySync() as number[][];
      if (!this.bw) return;
      // The backward LSTM reads reversed input; flip its outputs back into input order.
      const bseq = tf.reverse(lstm(x, this.bw, { goBackwards: true }).sequence as tf.Tensor3D, 1);
      backward = tf.squeeze(bseq, [0]).arraySync() as number[][];
    });
    const bwd = backward as number[][] | null;
    return {
      forward,
      backward: bwd,
      concat: bwd ? forward.map((r, i) => [...r, ...(bwd[i] as number[])]) : null,
    };
  }

  dispose(): void {
    tf.dispose(this.vars());
    this.optimizer.dispose();
  }
}
