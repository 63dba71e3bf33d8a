// Adam optimizer with per-parameter moments, with plain-data state (m, v, iterations, lr) for exact checkpoints.

import type { ParamStore } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { util } from '@tensorflow/tfjs-core';

export interface AdamConfig {
  /** Learning rate (mutable: the trainer lowers it after non-finite steps). */
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** Everything needed to continue optimisation exactly where it stopped. */
export interface AdamState {
  config: AdamConfig;
  iterations: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

/**
 * Adam (Kingma & Ba) over a {@link ParamStore}, with moments kept per parameter. Written here
 * rather than using tf.train.adam because we need the moments by our parameter names, a mutable
 * learning rate and a bit-exact save/restore for resumable training. (An earlier version kept
 * one flat vector for all parameters; splitting it back per parameter cost ~15% of a
 * translation step on wasm, where Slice/SplitV of millions of floats is slow.)
 *
 * @example
 * const opt = new Adam({ lr: 1e-3 });
 * opt.apply(model.params, grads); // grads by parameter name, e.g. from tf.variableGrads
 */
export class Adam {
  readonly config: AdamConfig;
  iterations = 0;
  private slots = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private disposed = false;

  constructor(config: Partial<AdamConfig> = {}) {
    this.config = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...config };
    if (!(this.config.lr > 0)) throw new Error(`Adam: lr must be > 0, got ${this.config.lr}`);
  }

  get lr(): number {
    return this.config.lr;
  }

  set lr(value: number) {
    if (!(value > 0) || !Number.isFinite(value))
      throw new Error(`Adam: lr must be a positive finite number, got ${value}`);
    this.config.lr = value;
  }

  /**
   * One update from gradients by parameter name, each multiplied by `scale` first (gradient
   * clipping). A trainable parameter without a gradient gets a zero gradient (its moments decay).
   */
  apply(params: ParamStore, grads: Record<string, tf.Tensor>, scale = 1): void {
    this.assertAlive();
    const entries = params.entries().filter(([, p]) => p.trainable);
    for (const [name, p] of entries) {
      const g = grads[name];
      if (g && !util.arraysEqual(g.shape, p.shape))
        throw new Error(
          `Adam.apply: gradient for '${name}' has shape [${g.shape}], the parameter has [${p.shape}]`,
        );
    }
    this.ensureSlots(params);
    this.iterations += 1;
    const { lr, beta1, beta2, epsilon } = this.config;
    const t = this.iterations;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    tf.tidy(() => {
      for (const [name, p] of entries) {
        const slot = this.slots.get(name) as { m: tf.Variable; v: tf.Variable };
        const raw = grads[name];
        const g = raw ? (scale === 1 ? raw : tf.mul(raw, scale)) : tf.zerosLike(p);
        const m2 = tf.add(tf.mul(slot.m, beta1), tf.mul(g, 1 - beta1));
        const v2 = tf.add(tf.mul(slot.v, beta2), tf.mul(tf.square(g), 1 - beta2));
        slot.m.assign(m2);
        slot.v.assign(v2);
        p.assign(tf.sub(p, tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), epsilon))));
      }
    });
  }

  getState(): AdamState {
    this.assertAlive();
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const [name, s] of this.slots) {
      m[name] = (s.m.dataSync() as Float32Array).slice();
      v[name] = (s.v.dataSync() as Float32Array).slice();
    }
    return { config: { ...this.config }, iterations: this.iterations, m, v };
  }

  /** Restore moments for the parameters of `params` (every trainable parameter needs both moments, or none for a fresh state). */
  setState(state: AdamState, params: ParamStore): void {
    this.assertAlive();
    this.disposeSlots();
    Object.assign(this.config, state.config);
    this.iterations = state.iterations;
    if (Object.keys(state.m).length === 0 && Object.keys(state.v).length === 0) return;
    const trainable = params.entries().filter(([, p]) => p.trainable);
    for (const [name, p] of trainable) {
      for (const [label, src] of [
        ['m', state.m],
        ['v', state.v],
      ] as const) {
        const data = src[name];
        if (!data) throw new Error(`Adam.setState: no '${label}' moment for parameter '${name}'`);
        if (data.length !== p.size)
          throw new Error(
            `Adam.setState: moment '${label}/${name}' has ${data.length} values, parameter shape [${p.shape}] needs ${p.size}`,
          );
      }
    }
    const all = new Set(params.names());
    for (const name of Object.keys(state.m)) {
      // Moments of non-trainable parameters (older checkpoints kept them; always zero) are skipped.
      if (!all.has(name))
        throw new Error(`Adam.setState: moment 'm/${name}' has no matching parameter`);
    }
    for (const [name, p] of trainable) {
      // tf.variable() shares the tensor's data but not its ownership: dispose the temporaries.
      const tm = tf.tensor(state.m[name] as Float32Array, p.shape);
      const tv = tf.tensor(state.v[name] as Float32Array, p.shape);
      this.slots.set(name, { m: tf.variable(tm, false), v: tf.variable(tv, false) });
      tf.dispose([tm, tv]);
    }
  }

  dispose(): void {
    this.disposeSlots();
    this.disposed = true;
  }

  private ensureSlots(params: ParamStore): void {
    if (this.slots.size) return;
    for (const [name, p] of params.entries()) {
      if (!p.trainable) continue;
      const [zm, zv] = [tf.zerosLike(p), tf.zerosLike(p)];
      this.slots.set(name, { m: tf.variable(zm, false), v: tf.variable(zv, false) });
      tf.dispose([zm, zv]);
    }
  }

  private disposeSlots(): void {
    for (const s of this.slots.values()) tf.dispose([s.m, s.v]);
    this.slots.clear();
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
  }
}
