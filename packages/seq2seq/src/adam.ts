// Adam optimizer over one flat vector of all parameters, with plain-data state (m, v, iterations, lr) for exact checkpoints.
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

interface Slot {
  name: string;
  shape: number[];
  offset: number;
  size: number;
}

/**
 * Adam (Kingma & Ba) over a {@link ParamStore}. All gradients are concatenated into one
 * flat vector so an update is a dozen kernels instead of a dozen per parameter (the
 * per-kernel overhead dominated small models on the cpu backend). Written here rather
 * than using tf.train.adam because we need the moments by our parameter names, a mutable
 * learning rate and a bit-exact save/restore for resumable training.
 *
 * @example
 * const opt = new Adam({ lr: 1e-3 });
 * opt.apply(model.params, flatGradient(model.params, grads));
 */
export class Adam {
  readonly config: AdamConfig;
  iterations = 0;
  private m: tf.Variable | null = null; // [N]
  private v: tf.Variable | null = null; // [N]
  private slots: Slot[] = [];
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

  /** One update from a flat gradient [N] laid out in the store's parameter order (see {@link flatGradient}). */
  apply(params: ParamStore, flatGrad: tf.Tensor1D): void {
    this.assertAlive();
    const entries = params.entries();
    this.ensureSlots(params);
    const n = this.slots.reduce((a, s) => a + s.size, 0);
    if (flatGrad.size !== n)
      throw new Error(`Adam.apply: expected a flat gradient of ${n} values, got ${flatGrad.size}`);
    this.iterations += 1;
    const { lr, beta1, beta2, epsilon } = this.config;
    const t = this.iterations;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    const m = this.m as tf.Variable;
    const v = this.v as tf.Variable;
    tf.tidy(() => {
      const m2 = tf.add(tf.mul(m, beta1), tf.mul(flatGrad, 1 - beta1)); // [N]
      const v2 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(flatGrad), 1 - beta2)); // [N]
      m.assign(m2);
      v.assign(v2);
      const step = tf.div(tf.mul(m2, lr / c1), tf.add(tf.sqrt(tf.div(v2, c2)), epsilon)); // [N]
      const parts = tf.split(
        step,
        this.slots.map((s) => s.size),
      ); // contiguous 1-D slices
      entries.forEach(([, p], i) => {
        p.assign(tf.sub(p, tf.reshape(parts[i] as tf.Tensor, p.shape)));
      });
    });
  }

  getState(): AdamState {
    this.assertAlive();
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    if (this.m && this.v) {
      const md = this.m.dataSync() as Float32Array;
      const vd = this.v.dataSync() as Float32Array;
      for (const s of this.slots) {
        m[s.name] = md.slice(s.offset, s.offset + s.size);
        v[s.name] = vd.slice(s.offset, s.offset + s.size);
      }
    }
    return { config: { ...this.config }, iterations: this.iterations, m, v };
  }

  /** Restore moments for the parameters of `params` (every parameter needs both moments, or none for a fresh state). */
  setState(state: AdamState, params: ParamStore): void {
    this.assertAlive();
    this.disposeSlots();
    Object.assign(this.config, state.config);
    this.iterations = state.iterations;
    if (Object.keys(state.m).length === 0 && Object.keys(state.v).length === 0) return;
    this.ensureSlots(params);
    const n = this.slots.reduce((a, s) => a + s.size, 0);
    const md = new Float32Array(n);
    const vd = new Float32Array(n);
    for (const s of this.slots) {
      for (const [label, src, dst] of [
        ['m', state.m, md],
        ['v', state.v, vd],
      ] as const) {
        const data = src[s.name];
        if (!data) throw new Error(`Adam.setState: no '${label}' moment for parameter '${s.name}'`);
        if (data.length !== s.size)
          throw new Error(
            `Adam.setState: moment '${label}/${s.name}' has ${data.length} values, parameter shape [${s.shape}] needs ${s.size}`,
          );
        dst.set(data, s.offset);
      }
    }
    for (const name of Object.keys(state.m)) {
      if (!this.slots.some((s) => s.name === name))
        throw new Error(`Adam.setState: moment 'm/${name}' has no matching parameter`);
    }
    // assign() does not take ownership of its argument: dispose the temporaries or they leak.
    tf.tidy(() => {
      (this.m as tf.Variable).assign(tf.tensor1d(md));
      (this.v as tf.Variable).assign(tf.tensor1d(vd));
    });
  }

  dispose(): void {
    this.disposeSlots();
    this.disposed = true;
  }

  private ensureSlots(params: ParamStore): void {
    if (this.m) return;
    let offset = 0;
    this.slots = params.entries().map(([name, p]) => {
      const s = { name, shape: p.shape.slice(), offset, size: p.size };
      offset += p.size;
      return s;
    });
    // tf.variable() shares the initial tensor's data but not its ownership: dispose the zeros.
    const [zm, zv] = [tf.zeros([offset]), tf.zeros([offset])];
    this.m = tf.variable(zm, false);
    this.v = tf.variable(zv, false);
    tf.dispose([zm, zv]);
  }

  private disposeSlots(): void {
    this.m?.dispose();
    this.v?.dispose();
    this.m = null;
    this.v = null;
    this.slots = [];
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Adam: used after dispose()');
  }
}

/** Concatenate named gradients into one [N] vector in the store's parameter order (zeros for parameters without a gradient). */
export function flatGradient(params: ParamStore, grads: Record<string, tf.Tensor>): tf.Tensor1D {
  return tf.tidy(
    () =>
      tf.concat(
        params.entries().map(([name, p]) => tf.reshape(grads[name] ?? tf.zerosLike(p), [-1])),
      ) as tf.Tensor1D,
  );
}
