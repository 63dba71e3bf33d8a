// One-to-one classifier for contrast with the RNNs: a word's bag of characters → dense → class.
import { sparseSoftmaxCrossEntropy } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { PAD } from './char-vocab';
import { checkShape, type Params, variableFrom } from './params';
import { seededUniform } from './seeded';

/** Sizes of a {@link BagOfCharsClassifier}. */
export interface FeedForwardConfig {
  /** Character ids including padding and unknown: the input width. */
  vocabSize: number;
  /** Hidden ReLU units. */
  hidden: number;
  classes: number;
}

/**
 * A feed-forward network sees one input at once and has no notion of order or time: the lab's
 * "one-to-one" type. Input: the character frequencies of one word.
 * @example
 * const ff = BagOfCharsClassifier.init({ vocabSize: 90, hidden: 32, classes: 4 });
 * ff.probs([[12, 7, 30]]); // [[p_en, p_es, p_fr, p_de]]
 */
export class BagOfCharsClassifier {
  private constructor(
    readonly config: FeedForwardConfig,
    readonly params: Params,
  ) {}

  static init(config: FeedForwardConfig, seed = 7): BagOfCharsClassifier {
    const { vocabSize: v, hidden: h, classes: c } = config;
    if (![v, h, c].every((n) => Number.isInteger(n) && n > 0)) {
      throw new Error(
        `BagOfCharsClassifier: expected positive integer sizes, got ${JSON.stringify(config)}`,
      );
    }
    const params: Params = {
      ffKernel1: variableFrom(seededUniform([v, h], Math.sqrt(6 / (v + h)), seed)),
      ffBias1: variableFrom(tf.zeros([h])),
      ffKernel2: variableFrom(seededUniform([h, c], Math.sqrt(6 / (h + c)), seed + 1)),
      ffBias2: variableFrom(tf.zeros([c])),
    };
    return new BagOfCharsClassifier(config, params);
  }

  /** Builds the model from named tensors (takes ownership); shapes are checked. */
  static fromTensors(
    config: FeedForwardConfig,
    named: Record<string, tf.Tensor>,
  ): BagOfCharsClassifier {
    const { vocabSize: v, hidden: h, classes: c } = config;
    const shapes: Record<string, number[]> = {
      ffKernel1: [v, h],
      ffBias1: [h],
      ffKernel2: [h, c],
      ffBias2: [c],
    };
    const params: Params = {};
    for (const [name, shape] of Object.entries(shapes)) {
      const t = checkShape(name, named[name], shape);
      params[name] = tf.variable(t, true);
      t.dispose();
    }
    return new BagOfCharsClassifier(config, params);
  }

  /** Character frequencies of each word [n, vocabSize] (padding ignored, rows sum to 1). */
  features(words: readonly number[][]): tf.Tensor2D {
    const v = this.config.vocabSize;
    const data = new Float32Array(words.length * v);
    words.forEach((w, r) => {
      const ids = w.filter((id) => id !== PAD);
      for (const id of ids) {
        if (id < 0 || id >= v) throw new Error(`features: character id ${id} outside 0..${v - 1}`);
        data[r * v + id] = (data[r * v + id] as number) + 1 / ids.length;
      }
    });
    return tf.tensor2d(data, [words.length, v]);
  }

  private logits(x: tf.Tensor2D): tf.Tensor2D {
    const p = this.params as Record<string, tf.Tensor2D>;
    const h = tf.relu(tf.add(tf.matMul(x, p.ffKernel1 as tf.Tensor2D), p.ffBias1 as tf.Tensor));
    return tf.add(tf.matMul(h, p.ffKernel2 as tf.Tensor2D), p.ffBias2 as tf.Tensor) as tf.Tensor2D;
  }

  /** Class probabilities for each word. */
  probs(words: readonly number[][]): number[][] {
    if (words.length === 0) return [];
    return tf.tidy(() => tf.softmax(this.logits(this.features(words))).arraySync() as number[][]);
  }

  /** One optimizer step; returns the loss before it. */
  trainStep(
    words: readonly number[][],
    labels: readonly number[],
    optimizer: tf.Optimizer,
  ): number {
    const x = this.features(words);
    const y = tf.tensor1d(labels as number[], 'int32');
    const cost = optimizer.minimize(
      () => sparseSoftmaxCrossEntropy(this.logits(x), y),
      true,
      Object.values(this.params),
    );
    const loss = cost?.dataSync()[0] ?? Number.NaN;
    tf.dispose([x, y, cost as tf.Scalar]);
    return loss;
  }

  dispose(): void {
    for (const v of Object.values(this.params)) v.dispose();
  }
}
