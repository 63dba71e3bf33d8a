// Backpropagation through time made visible: a character-level SimpleRNN unrolled over one string,
// with every hidden state, per-step loss, the gradient reaching each step, and one weight update.
import * as tf from '@tensorflow/tfjs-core';
import { seededUniform } from './seeded';

/** The characters the unrolled model reads; anything else is the last symbol, '·'. */
export const UNROLL_ALPHABET = ' abcdefghijklmnopqrstuvwxyz·';

/** Everything one forward and backward pass over a string computed, as plain numbers. */
export interface UnrollView {
  /** The symbols read, one per step (the last one is only predicted, never read). */
  symbols: string[];
  /** h_t after reading symbol t: [step][unit]. */
  hidden: number[][];
  /** -log p(next symbol) at each step. */
  stepLoss: number[];
  /** Probability the model gave the true next symbol at each step. */
  stepProb: number[];
  /** Mean of stepLoss: the loss that is differentiated. */
  loss: number;
  /** dLoss/dh_t, including every path through later steps: [step][unit]. */
  dHidden: number[][];
  /** ||dLoss/dh_t|| per step. */
  dHiddenNorm: number[];
  /** Frobenius norm of each weight's gradient (W input, U recurrent, b, V output, c). */
  gradNorms: Record<string, number>;
}

/**
 * A tiny next-character model: h_t = tanh(x_t W + h_{t-1} U + b), p(x_{t+1}) = softmax(h_t V + c).
 * @example
 * const m = new UnrolledRNN(8, 3);
 * const view = m.unroll('hello there'); // view.dHiddenNorm: gradient per step
 * const { before, after } = m.update('hello there', 0.5); // after < before
 * m.dispose();
 */
export class UnrolledRNN {
  private readonly w: Record<'W' | 'U' | 'b' | 'V' | 'c', tf.Variable>;

  constructor(
    readonly units = 8,
    seed = 1,
  ) {
    if (!Number.isInteger(units) || units < 1 || units > 64)
      throw new Error(`UnrolledRNN: units must be an integer in 1..64, got ${units}`);
    const a = UNROLL_ALPHABET.length;
    this.w = tf.tidy(() => ({
      W: tf.variable(seededUniform([a, units], 0.5, seed)),
      U: tf.variable(seededUniform([units, units], 0.5, seed + 1)),
      b: tf.variable(tf.zeros([units])),
      V: tf.variable(seededUniform([units, a], 0.5, seed + 2)),
      c: tf.variable(tf.zeros([a])),
    }));
  }

  /** Symbol ids of a string (lower-cased; unknown characters → '·'); at least 2 are needed. */
  static encode(text: string): number[] {
    const other = UNROLL_ALPHABET.length - 1;
    return [...text.toLowerCase()].map((ch) => {
      const i = UNROLL_ALPHABET.indexOf(ch);
      return i < 0 || i === other ? other : i;
    });
  }

  /** The mean next-symbol loss as a function of the weights and of a zero offset e_t on each h_t. */
  private lossFn(ids: number[]) {
    const a = UNROLL_ALPHABET.length;
    const T = ids.length - 1;
    const x = tf.oneHot(tf.tensor1d(ids.slice(0, T), 'int32'), a).asType('float32') as tf.Tensor2D; // [T, a]
    const next = tf.tensor1d(ids.slice(1), 'int32');
    return (
      W: tf.Tensor,
      U: tf.Tensor,
      b: tf.Tensor,
      V: tf.Tensor,
      c: tf.Tensor,
      es: tf.Tensor[],
    ) => {
      const xp = tf.add(tf.matMul(x, W as tf.Tensor2D), b); // [T, u]
      let h = tf.zeros([1, this.units]) as tf.Tensor2D;
      const hs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const pre = tf.add(tf.slice(xp, [t, 0], [1, this.units]), tf.matMul(h, U as tf.Tensor2D));
        h = tf.add(tf.tanh(pre), es[t] as tf.Tensor) as tf.Tensor2D;
        hs.push(h);
      }
      const H = tf.concat(hs, 0); // [T, u]
      const logp = tf.logSoftmax(tf.add(tf.matMul(H, V as tf.Tensor2D), c)); // [T, a]
      const picked = tf.sum(tf.mul(logp, tf.oneHot(next, a)), 1); // [T]
      return { H, stepLoss: tf.neg(picked), loss: tf.neg(tf.mean(picked)) as tf.Scalar };
    };
  }

  private check(text: string): number[] {
    const ids = UnrolledRNN.encode(text);
    if (ids.length < 2 || ids.length > 200) {
      throw new Error(`UnrolledRNN: expected 2..200 characters, got ${ids.length}`);
    }
    return ids;
  }

  /** Forward and backward pass over `text`; nothing is updated. */
  unroll(text: string): UnrollView {
    const ids = this.check(text);
    const T = ids.length - 1;
    return tf.tidy(() => {
      const f = this.lossFn(ids);
      const es = Array.from({ length: T }, () => tf.zeros([1, this.units]));
      // valueAndGrads disposes what f builds, so the forward values are read inside it.
      let hidden: number[][] = [];
      let sl: number[] = [];
      const { value, grads } = tf.valueAndGrads((W, U, b, V, c, ...e) => {
        const r = f(W, U, b, V, c, e);
        hidden = r.H.arraySync() as number[][];
        sl = Array.from(r.stepLoss.dataSync());
        return r.loss;
      })([this.w.W, this.w.U, this.w.b, this.w.V, this.w.c, ...es]);
      const dH = tf.concat(grads.slice(5), 0); // [T, u]
      const names = ['W', 'U', 'b', 'V', 'c'];
      return {
        symbols: ids.map((i) => UNROLL_ALPHABET[i] as string),
        hidden,
        stepLoss: sl,
        stepProb: sl.map((l) => Math.exp(-l)),
        loss: value.dataSync()[0] as number,
        dHidden: dH.arraySync() as number[][],
        dHiddenNorm: Array.from(tf.norm(dH, 'euclidean', 1).dataSync()),
        gradNorms: Object.fromEntries(
          names.map((n, i) => [n, tf.norm(grads[i] as tf.Tensor).dataSync()[0] as number]),
        ),
      };
    });
  }

  /** One gradient-descent step w ← w − lr·∇w on `text`; returns the loss before and after. */
  update(text: string, learningRate: number): { before: number; after: number } {
    if (!(learningRate > 0 && learningRate <= 10))
      throw new Error(`UnrolledRNN: learning rate must be in (0, 10], got ${learningRate}`);
    const ids = this.check(text);
    const T = ids.length - 1;
    const before = tf.tidy(() => {
      const f = this.lossFn(ids);
      const es = Array.from({ length: T }, () => tf.zeros([1, this.units]));
      const { value, grads } = tf.valueAndGrads((W, U, b, V, c) => f(W, U, b, V, c, es).loss)([
        this.w.W,
        this.w.U,
        this.w.b,
        this.w.V,
        this.w.c,
      ]);
      [this.w.W, this.w.U, this.w.b, this.w.V, this.w.c].forEach((v, i) => {
        v.assign(tf.sub(v, tf.mul(grads[i] as tf.Tensor, learningRate)));
      });
      return value.dataSync()[0] as number;
    });
    return { before, after: this.unroll(text).loss };
  }

  /** The loss with element `index` of weight `name` moved by `delta` (on a copy), for finite-difference checks. */
  lossWith(text: string, name: 'W' | 'U' | 'b' | 'V' | 'c', index: number, delta: number): number {
    const ids = this.check(text);
    const T = ids.length - 1;
    return tf.tidy(() => {
      const vals = { ...this.w } as Record<string, tf.Tensor>;
      const flat = (vals[name] as tf.Tensor).dataSync().slice();
      flat[index] = (flat[index] as number) + delta;
      vals[name] = tf.tensor(flat, (vals[name] as tf.Tensor).shape);
      const es = Array.from({ length: T }, () => tf.zeros([1, this.units]));
      const r = this.lossFn(ids)(
        vals.W as tf.Tensor,
        vals.U as tf.Tensor,
        vals.b as tf.Tensor,
        vals.V as tf.Tensor,
        vals.c as tf.Tensor,
        es,
      );
      return r.loss.dataSync()[0] as number;
    });
  }

  /** Gradient of the loss with respect to one weight, flattened (for checks and display). */
  gradient(text: string, name: 'W' | 'U' | 'b' | 'V' | 'c'): Float32Array {
    const ids = this.check(text);
    const T = ids.length - 1;
    return tf.tidy(() => {
      const f = this.lossFn(ids);
      const es = Array.from({ length: T }, () => tf.zeros([1, this.units]));
      const order = ['W', 'U', 'b', 'V', 'c'] as const;
      const g = tf.grads((W, U, b, V, c) => f(W, U, b, V, c, es).loss)(order.map((n) => this.w[n]));
      return (g[order.indexOf(name)] as tf.Tensor).dataSync() as Float32Array;
    });
  }

  dispose(): void {
    tf.dispose(Object.values(this.w));
  }
}
