// Many-to-one LSTM classifier over character ids (language ID): embedding → LSTM → last state → dense.
import { embeddingLookup, type LSTMGateRecord, lstm, sparseSoftmaxCrossEntropy } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { checkShape, type Params, variableFrom } from './params';
import { seededUniform } from './seeded';
import { gatesOverTokens } from './token-gates';

/** Sizes of a {@link SequenceClassifier}. */
export interface ClassifierConfig {
  /** Ids including padding (0) and unknown (1). */
  vocabSize: number;
  /** Embedding width per character. */
  embed: number;
  /** LSTM units. */
  units: number;
  /** Number of classes (e.g. 4 languages). */
  classes: number;
}

/** One training or evaluation batch: row-major ids and mask [b, t], labels [b]. */
export interface ClassifierBatch {
  ids: Int32Array;
  mask: Float32Array;
  labels: Int32Array;
  batch: number;
  time: number;
}

/**
 * The language-ID model of the lab's many-to-one section; the final state of the masked LSTM
 * is the whole string's summary, and the same head read after every step gives the prediction
 * of each prefix (what the page shows as the user types).
 * @example
 * const m = SequenceClassifier.init({ vocabSize: 90, embed: 16, units: 48, classes: 4 }, 1);
 * const probs = m.prefixProbs([5, 9, 12]); // [3][4]: class probabilities after each character
 * m.dispose();
 */
export class SequenceClassifier {
  private constructor(
    readonly config: ClassifierConfig,
    readonly params: Params,
  ) {}

  /** Seeded random start: uniform ±0.1 embedding, Glorot/orthogonal LSTM, zero head bias. */
  static init(config: ClassifierConfig, seed = 1): SequenceClassifier {
    const { vocabSize: v, embed: e, units: u, classes: c } = checkConfig(config);
    const scale = Math.sqrt(6 / (u + c));
    const bias = new Float32Array(4 * u).fill(1, u, 2 * u); // forget bias 1
    const params: Params = {
      embedding: variableFrom(seededUniform([v, e], 0.1, seed)),
      kernel: variableFrom(seededUniform([e, 4 * u], Math.sqrt(6 / (e + 4 * u)), seed + 1)),
      recurrentKernel: variableFrom(seededUniform([u, 4 * u], Math.sqrt(6 / (5 * u)), seed + 2)),
      bias: variableFrom(tf.tensor1d(bias)),
      headKernel: variableFrom(seededUniform([u, c], scale, seed + 3)),
      headBias: variableFrom(tf.zeros([c])),
    };
    return new SequenceClassifier(config, params);
  }

  /** Builds the model from named tensors (takes ownership of them); shapes are checked. */
  static fromTensors(
    config: ClassifierConfig,
    named: Record<string, tf.Tensor>,
  ): SequenceClassifier {
    const { vocabSize: v, embed: e, units: u, classes: c } = checkConfig(config);
    const shapes: Record<string, number[]> = {
      embedding: [v, e],
      kernel: [e, 4 * u],
      recurrentKernel: [u, 4 * u],
      bias: [4 * u],
      headKernel: [u, c],
      headBias: [c],
    };
    const params: Params = {};
    for (const [name, shape] of Object.entries(shapes)) {
      const t = checkShape(name, named[name], shape);
      params[name] = tf.variable(t, true);
      t.dispose();
    }
    return new SequenceClassifier(config, params);
  }

  private weights() {
    const p = this.params;
    return {
      kernel: p.kernel as unknown as tf.Tensor2D,
      recurrentKernel: p.recurrentKernel as unknown as tf.Tensor2D,
      bias: p.bias as unknown as tf.Tensor1D,
    };
  }

  /** Logits [b, classes] for ids and mask [b, t] (the state after the last unmasked step). */
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const x = embeddingLookup(
        this.params.embedding as unknown as tf.Tensor2D,
        ids,
      ) as tf.Tensor3D; // [b, t, e]
      const { h } = lstm(x, this.weights(), { mask, returnSequences: false }); // [b, u]
      return tf.add(
        tf.matMul(h, this.params.headKernel as unknown as tf.Tensor2D),
        this.params.headBias as tf.Variable,
      ) as tf.Tensor2D;
    });
  }

  /** One optimizer step on a batch; returns the mean cross-entropy before the step. */
  trainStep(batch: ClassifierBatch, optimizer: tf.Optimizer): number {
    const { ids, mask, labels } = toTensors(batch);
    const cost = optimizer.minimize(
      () => sparseSoftmaxCrossEntropy(this.logits(ids, mask), labels),
      true,
      Object.values(this.params),
    );
    const loss = cost?.dataSync()[0] ?? Number.NaN;
    tf.dispose([ids, mask, labels, cost as tf.Scalar]);
    return loss;
  }

  /** Predicted class of each row. */
  predict(batch: Omit<ClassifierBatch, 'labels'>): number[] {
    return tf.tidy(() => {
      const ids = tf.tensor2d(batch.ids, [batch.batch, batch.time], 'int32');
      const mask = tf.tensor2d(batch.mask, [batch.batch, batch.time]);
      return Array.from(tf.argMax(this.logits(ids, mask), 1).dataSync());
    });
  }

  /** Class probabilities after each character of one string: [t][classes]. */
  prefixProbs(ids: readonly number[]): number[][] {
    if (ids.length === 0) return [];
    return tf.tidy(() => {
      const x = embeddingLookup(
        this.params.embedding as unknown as tf.Tensor2D,
        tf.tensor2d([ids as number[]], [1, ids.length], 'int32'),
      ) as tf.Tensor3D;
      const seq = lstm(x, this.weights()).sequence as tf.Tensor3D; // [1, t, u]
      const h = tf.reshape(seq, [ids.length, this.config.units]);
      const logits = tf.add(
        tf.matMul(h, this.params.headKernel as unknown as tf.Tensor2D),
        this.params.headBias as tf.Variable,
      );
      return tf.softmax(logits).arraySync() as number[][];
    });
  }

  /** Gates, cell and hidden state per character ([step][0][unit]) for one string. */
  gates(ids: readonly number[]): LSTMGateRecord {
    return gatesOverTokens(this.params.embedding as unknown as tf.Tensor2D, this.weights(), ids);
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}

function checkConfig(c: ClassifierConfig): ClassifierConfig {
  for (const k of ['vocabSize', 'embed', 'units', 'classes'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) {
      throw new Error(`SequenceClassifier: expected ${k} to be a positive integer, got ${c[k]}`);
    }
  }
  if (c.classes < 2)
    throw new Error(`SequenceClassifier: expected at least 2 classes, got ${c.classes}`);
  return c;
}

function toTensors(b: ClassifierBatch) {
  if (
    b.ids.length !== b.batch * b.time ||
    b.mask.length !== b.ids.length ||
    b.labels.length !== b.batch
  ) {
    throw new Error(
      `classifier batch: expected ids and mask of ${b.batch}×${b.time} and ${b.batch} labels, got ${b.ids.length}, ${b.mask.length}, ${b.labels.length}`,
    );
  }
  return {
    ids: tf.tensor2d(b.ids, [b.batch, b.time], 'int32'),
    mask: tf.tensor2d(b.mask, [b.batch, b.time]),
    labels: tf.tensor1d(b.labels, 'int32'),
  };
}
