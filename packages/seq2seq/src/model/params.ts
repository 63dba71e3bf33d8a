// Named trainable parameters of a model: seeded initialisers, ownership and disposal.
import * as tf from '@tensorflow/tfjs-core';
import { randomInitSkipped } from './recurrent';

/** Glorot/Xavier uniform init, seeded (zeros inside `withoutRandomInit`). */
export function glorotUniform(shape: [number, number], seed: number): tf.Tensor2D {
  if (randomInitSkipped()) return tf.zeros(shape);
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.randomUniform(shape, -limit, limit, 'float32', seed) as tf.Tensor2D;
}

/** Small uniform init for embeddings, seeded (zeros inside `withoutRandomInit`). */
export function embeddingInit(shape: [number, number], seed: number): tf.Tensor2D {
  if (randomInitSkipped()) return tf.zeros(shape);
  return tf.randomUniform(shape, -0.1, 0.1, 'float32', seed) as tf.Tensor2D;
}

/**
 * Owns a model's trainable variables under stable names (e.g. `decoder/out/kernel`).
 * Names are ours; tfjs variable names are left automatic because tfjs requires them
 * to be globally unique and two models may coexist.
 *
 * @example
 * const ps = new ParamStore();
 * const w = ps.add('proj/kernel', glorotUniform([4, 8], 1));
 * ps.dispose();
 */
export class ParamStore {
  private readonly vars = new Map<string, tf.Variable>();
  private disposed = false;

  /** Register a variable initialised from `init` (ownership of `init` passes to the store). */
  add<R extends tf.Rank>(name: string, init: tf.Tensor<R>): tf.Variable<R> {
    this.assertAlive();
    if (this.vars.has(name))
      throw new Error(`ParamStore: parameter '${name}' is already registered`);
    const v = tf.variable(init, true);
    init.dispose();
    this.vars.set(name, v);
    return v as tf.Variable<R>;
  }

  /**
   * Take ownership of an existing variable (e.g. a CNN's kernels, or batch-norm moving statistics
   * created with trainable=false, which are saved and checkpointed but get no gradient).
   */
  adopt(name: string, v: tf.Variable): tf.Variable {
    this.assertAlive();
    if (this.vars.has(name))
      throw new Error(`ParamStore: parameter '${name}' is already registered`);
    this.vars.set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    this.assertAlive();
    const v = this.vars.get(name);
    if (!v)
      throw new Error(
        `ParamStore: no parameter '${name}'; known: ${[...this.vars.keys()].join(', ')}`,
      );
    return v;
  }

  names(): string[] {
    return [...this.vars.keys()];
  }

  entries(): [string, tf.Variable][] {
    this.assertAlive();
    return [...this.vars.entries()];
  }

  /** Name → shape of every parameter, in registration order. */
  shapes(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [n, v] of this.vars) out[n] = v.shape.slice();
    return out;
  }

  /** Total number of scalars. */
  size(): number {
    let n = 0;
    for (const v of this.vars.values()) n += v.size;
    return n;
  }

  /** Copy values in (shapes must match exactly); the caller keeps ownership of `values`. */
  assign(values: Record<string, tf.Tensor>): void {
    this.assertAlive();
    for (const [name, v] of this.vars) {
      const t = values[name];
      if (!t) throw new Error(`ParamStore.assign: missing value for '${name}'`);
      if (!tf.util.arraysEqual(t.shape, v.shape)) {
        throw new Error(
          `ParamStore.assign: '${name}' expected shape [${v.shape}], got [${t.shape}]`,
        );
      }
      v.assign(t.dtype === 'float32' ? t : tf.tidy(() => tf.cast(t, 'float32')));
    }
  }

  /** Snapshot of every value as plain Float32Arrays (syncs). */
  read(): Record<string, Float32Array> {
    this.assertAlive();
    const out: Record<string, Float32Array> = {};
    for (const [n, v] of this.vars) out[n] = v.dataSync() as Float32Array;
    return out;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    for (const v of this.vars.values()) v.dispose();
    this.vars.clear();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed)
      throw new Error('ParamStore: used after dispose(); create or load a new model');
  }
}
