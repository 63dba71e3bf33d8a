// Adam optimizer with plain-data state (m, v, iterations, lr) so checkpoints can save and restore it exactly.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from './params';

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
 * Adam (Kingma & Ba) over a {@link ParamStore}. Written here rather than using
 * tf.train.adam because we need its moments by our parameter names, a mutable
 * learning rate and a bit-exact save/restore for resumable training.
 *
 * @example
 * const opt = new Adam({ lr: 1e-3 });
 * opt.apply(model.params, grads); // grads by parameter name
 */
export class Adam {
  readonly config: AdamConfig;
  iterations = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private disposed = false;

  constructor(config: Partial<AdamConfig> = {}) {
    this.config = { lr: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...config };
    if (!(this.config.lr > 0)) throw new Error(`Adam: lr must be > 0, got ${this.config.lr}`);
  }

  get lr(): number {
    return this.config.lr;
  }

  set lr(value: number) {
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`Adam: lr must be a positive finite number, got ${value}`);
    this.config.lr = value;
  }

  /** One update; `grads` maps parameter names to gradients (missing names are left untouched). */
  apply(params: ParamStore, grads: Record<string, tf.Tensor>): void {
    this.assertAlive();
    this.iterations += 1;
    const { lr, beta1, beta2, epsilon } = this.config;
    const t = this.iterations;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    for (const [name, p] of params.entries()) {
      const g = grads[name];
      if (!g) continue;
      const m = this.slot(this.m, name, p);
      const v = this.slot(this.v, name, p);
      tf.tidy(() => {
        const m2 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
        const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
        m.assign(m2);
        v.assign(v2);
        const step = tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), epsilon));
        p.assign(tf.sub(p, step));
      });
    }
  }

  getState(): AdamState {
    this.assertAlive();
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const [n, t] of this.m) m[n] = t.dataSync() as Float32Array;
    for (const [n, t] of this.v) v[n] = t.dataSync() as Float32Array;
    return { config: { ...this.config }, iterations: this.iterations, m, v };
  }

  /** Restore moments for the parameters of `params` (shapes come from the parameters). */
  setState(state: AdamState, params: ParamStore): void {
    this.assertAlive();
    this.disposeSlots();
    Object.assign(this.config, state.config);
    this.iterations = state.iterations;
    const shapes = params.shapes();
    for (const [slots, src, label] of [[this.m, state.m, 'm'], [this.v, state.v, 'v']] as const) {
      for (const [name, data] of Object.entries(src)) {
        const shape = shapes[name];
        if (!shape) throw new Error(`Adam.setState: moment '${label}/${name}' has no matching parameter`);
        if (data.length !== tf.util.sizeFromShape(shape)) {
          throw new Error(`Adam.setState: moment '${label}/${name}' has ${data.length} values, parameter shape [${shape}] needs ${tf.util.sizeFromShape(shape)}`);
        }
        slots.set(name, tf.variable(tf.tensor(data, shape, 'float32'), false));
      }
    }
  }

  dispose(): void {
    this.disposeSlots();
    this.disposed = true;
  }

  private disposeSlots(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
    this.m.clear();
    this.v.clear();
  }

  private slot(slots: Map<string, tf.Variable>, name: string, p: tf.Variable): tf.Variable {
    let s = slots.get(name);
    if (!s) {
      s = tf.variable(tf.zerosLike(p), false);
      slots.set(name, s);
    }
    return s;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
  }
}
