// KernelTrainStep: one whole seq2seq training step (forward, backward, global-norm clipping, Adam)
// on the WebAssembly kernels, across threads — the same math as @seqlab/seq2seq's Seq2Seq.loss +
// trainStep + Adam, with the model's weights, gradients and moments in one shared memory.

import { KernelPool, type KernelPoolOptions } from './pool';
import { type KernelSeq2SeqConfig, type ParamSlot, seq2seqLayout } from './seq2seq-layout';
import { forwardBackward, type StepBuffers } from './seq2seq-pass';

/** Options of {@link KernelTrainStep.create}. */
export interface KernelTrainOptions extends KernelPoolOptions {
  /** Adam learning rate (default 1e-3), betas and epsilon (defaults 0.9, 0.999, 1e-8). */
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip gradients to this global L2 norm (default 5). */
  clipNorm?: number;
  /** Multiply lr by this after a non-finite loss or gradient (default 0.5), as trainStep does. */
  nonFiniteLrFactor?: number;
  /** Dropout seed; step k's masks come from (seed, k). Default 1. */
  seed?: number;
}

/** A padded batch as @seqlab/seq2seq's Seq2SeqBatch: src rows, tgt rows (ending in EOS). */
export interface KernelBatch {
  src: readonly (readonly number[])[];
  tgt: readonly (readonly number[])[];
}

/** What one step reports (as trainStep's TrainStepResult). */
export interface KernelStepResult {
  loss: number;
  /** Global gradient norm before clipping (NaN when the loss is not finite). */
  gradNorm: number;
  /** True when nothing was applied because loss or gradients were not finite. */
  skipped: boolean;
  lr: number;
}

/**
 * A seq2seq training step on seqlab's WebAssembly SIMD kernels, on `threads` threads. Built
 * from the model config and its parameters (by ParamStore name); `weights()` gives them back.
 * Results are bit-identical for any thread count on one runtime (relaxed-SIMD FMA, when the
 * runtime has it, changes the last bits against plain SIMD).
 *
 * @example
 * import { nodeSpawn } from '@seqlab/kernels/node';
 * const params = Object.fromEntries(model.params.entries().map(([n, v]) => [n, v.dataSync()]));
 * const step = await KernelTrainStep.create(model.config, params, { threads: 2, spawn: nodeSpawn, lr: 2e-3 });
 * const { loss, gradNorm } = step.step({ src: [[5, 6, 2]], tgt: [[7, 8, 2]] });
 * for (const [n, w] of Object.entries(step.weights())) model.params.get(n).assign(tf.tensor(w, shape));
 * step.dispose();
 */
export class KernelTrainStep {
  readonly config: KernelSeq2SeqConfig;
  readonly pool: KernelPool;
  readonly slots: ParamSlot[];
  /** Adam steps applied so far. */
  iterations = 0;
  lr: number;
  private readonly opts: Required<Omit<KernelTrainOptions, keyof KernelPoolOptions | 'lr'>>;
  private readonly buf: StepBuffers;
  private readonly total: number;

  private constructor(
    config: KernelSeq2SeqConfig,
    pool: KernelPool,
    opts: KernelTrainOptions,
    layout: { slots: ParamSlot[]; total: number },
  ) {
    this.config = config;
    this.pool = pool;
    this.slots = layout.slots;
    this.total = layout.total;
    this.lr = opts.lr ?? 1e-3;
    this.opts = {
      beta1: opts.beta1 ?? 0.9,
      beta2: opts.beta2 ?? 0.999,
      epsilon: opts.epsilon ?? 1e-8,
      clipNorm: opts.clipNorm ?? 5,
      nonFiniteLrFactor: opts.nonFiniteLrFactor ?? 0.5,
      seed: opts.seed ?? 1,
    };
    const n = layout.total;
    const P = pool.alloc(n);
    const G = pool.alloc(n);
    const M = pool.alloc(n);
    const V = pool.alloc(n);
    const blocks = pool.alloc(2 * Math.ceil(n / 1024)); // sumsq's float64 per 1024 floats
    const at: Record<string, number> = {};
    for (const s of layout.slots) at[s.name] = s.at;
    this.buf = { P, G, M, V, blocks, at };
  }

  /** Builds the step: compiles the kernels, starts the workers, copies the parameters in. */
  static async create(
    config: KernelSeq2SeqConfig,
    params: Record<string, ArrayLike<number>>,
    opts: KernelTrainOptions = {},
  ): Promise<KernelTrainStep> {
    const layout = seq2seqLayout(config);
    const pool = await KernelPool.create(opts);
    const step = new KernelTrainStep(config, pool, opts, layout);
    step.setWeights(params);
    return step;
  }

  /** Threads the kernels run on. */
  get threads(): number {
    return this.pool.threads;
  }

  /** Whether the kernels run the relaxed-SIMD build (FMA), or plain SIMD. */
  get relaxed(): boolean {
    return this.pool.relaxed;
  }

  /** Copies parameters in by name (every parameter of the layout must be there). */
  setWeights(params: Record<string, ArrayLike<number>>): void {
    for (const s of this.slots) {
      const src = params[s.name];
      if (!src) throw new Error(`KernelTrainStep: no parameter '${s.name}' [${s.shape}]`);
      if (src.length !== s.size)
        throw new Error(
          `KernelTrainStep: '${s.name}' has ${src.length} values, expected [${s.shape}] = ${s.size}`,
        );
      this.pool.f32(this.buf.P + 4 * s.at, s.size).set(src);
    }
  }

  /** Copies of the current parameters by name (row-major, the model's shapes). */
  weights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const s of this.slots) out[s.name] = this.pool.f32(this.buf.P + 4 * s.at, s.size).slice();
    return out;
  }

  /** Copies of the last step's (unclipped) gradients by name. */
  gradients(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const s of this.slots) out[s.name] = this.pool.f32(this.buf.G + 4 * s.at, s.size).slice();
    return out;
  }

  /** Loss and gradients of `batch` only (no update); `training` turns dropout and smoothing on. */
  lossAndGradients(batch: KernelBatch, training: boolean): number {
    const mark = this.pool.mark;
    try {
      return forwardBackward(this.pool, this.config, this.buf, this.total, batch, {
        training,
        seed: this.opts.seed * 1_000_003 + this.iterations, // masks follow the applied steps: resumable
      });
    } finally {
      this.pool.reset(mark);
    }
  }

  /** One training step: loss, gradients, non-finite guard, global-norm clipping, Adam. */
  step(batch: KernelBatch): KernelStepResult {
    const loss = this.lossAndGradients(batch, true);
    const { P, G, M, V, blocks } = this.buf;
    const n = this.total;
    this.pool.run('sumsq', G, n, blocks);
    const parts = new Float64Array(this.pool.inst.memory.buffer, blocks, Math.ceil(n / 1024));
    let sq = 0;
    for (const v of parts) sq += v;
    const gradNorm = Math.sqrt(sq);
    if (!Number.isFinite(loss) || !Number.isFinite(gradNorm)) {
      this.lr *= this.opts.nonFiniteLrFactor;
      return {
        loss,
        gradNorm: Number.isFinite(loss) ? gradNorm : Number.NaN,
        skipped: true,
        lr: this.lr,
      };
    }
    const { beta1, beta2, epsilon, clipNorm } = this.opts;
    this.iterations++;
    const t = this.iterations;
    const scale = gradNorm > clipNorm ? clipNorm / gradNorm : 1;
    const c1 = 1 - beta1 ** t;
    const c2 = 1 - beta2 ** t;
    this.pool.run('adam', P, G, M, V, n, scale, beta1, beta2, this.lr / c1, 1 / c2, epsilon);
    return { loss, gradNorm, skipped: false, lr: this.lr };
  }

  /** Adam moments by parameter name and the iteration count (for checkpoints). */
  adamState(): {
    iterations: number;
    m: Record<string, Float32Array>;
    v: Record<string, Float32Array>;
  } {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const s of this.slots) {
      m[s.name] = this.pool.f32(this.buf.M + 4 * s.at, s.size).slice();
      v[s.name] = this.pool.f32(this.buf.V + 4 * s.at, s.size).slice();
    }
    return { iterations: this.iterations, m, v };
  }

  /** Restores {@link adamState}'s output (e.g. on resume). */
  setAdamState(state: {
    iterations: number;
    m: Record<string, ArrayLike<number>>;
    v: Record<string, ArrayLike<number>>;
  }): void {
    for (const s of this.slots) {
      for (const [label, src, at] of [
        ['m', state.m, this.buf.M],
        ['v', state.v, this.buf.V],
      ] as const) {
        const data = src[s.name];
        if (!data || data.length !== s.size)
          throw new Error(
            `KernelTrainStep.setAdamState: moment '${label}/${s.name}' missing or mis-sized`,
          );
        this.pool.f32(at + 4 * s.at, s.size).set(data);
      }
    }
    this.iterations = state.iterations;
  }

  /** Stops the workers. */
  dispose(): void {
    this.pool.dispose();
  }
}
