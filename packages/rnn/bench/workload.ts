// Benchmark workload W (seq2seq LSTM encoder-decoder, batch 64, len 20, vocab 2000, emb 128, hidden 256, Adam) on our LSTM, tf.layers and PyTorch.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../src/backend';
import { glorotUniform } from '../src/initializers';
import { sparseSoftmaxCrossEntropy } from '../src/losses';
import { lstmTimeMajor } from '../src/lstm';
import { initLSTMWeights, type LSTMWeights } from '../src/lstm-cell';
import { setWasmMatMulRoute } from '../src/wasm-backend-patches';

/** Workload W and timing settings; defaults are the numbers. */
export interface BenchConfig {
  batch: number; // sentences per step
  srcLen: number; // source tokens per sentence
  tgtLen: number; // target tokens per sentence (the tokens counted)
  vocab: number; // source and target vocabulary
  emb: number; // embedding width
  hidden: number; // LSTM units
  warmup: number; // untimed steps first
  steps: number; // timed steps (at most)
  budgetS: number; // stop timing a variant after this many seconds (at least one timed step runs)
}

export const DEFAULT_BENCH: BenchConfig = {
  batch: 64,
  srcLen: 20,
  tgtLen: 20,
  vocab: 2000,
  emb: 128,
  hidden: 256,
  warmup: 2,
  steps: 10,
  budgetS: 20,
};

/** One measured variant. */
export interface BenchRow {
  name: string;
  backend: string;
  tokensPerS: number;
  stepMs: number;
  steps: number;
  loss: number;
  /** With profiling on: kernel time of one step by kernel and input shapes. */
  profile?: ProfileRow[];
}

/** One line of a kernel profile. */
export interface ProfileRow {
  kernel: string;
  ms: number;
  calls: number;
}

function batchData(cfg: BenchConfig) {
  const rnd = (n: number, seed: number) => {
    let s = seed;
    return Int32Array.from({ length: n }, () => {
      s = (s * 1103515245 + 12345) >>> 0;
      return 1 + (s % (cfg.vocab - 1));
    });
  };
  const src = rnd(cfg.batch * cfg.srcLen, 1); // [b, S]
  const tgt = rnd(cfg.batch * cfg.tgtLen, 2); // [b, T]
  const decIn = new Int32Array(cfg.batch * cfg.tgtLen);
  for (let i = 0; i < cfg.batch; i++) {
    decIn[i * cfg.tgtLen] = 1; // BOS
    for (let t = 1; t < cfg.tgtLen; t++)
      decIn[i * cfg.tgtLen + t] = tgt[i * cfg.tgtLen + t - 1] as number;
  }
  return { src, tgt, decIn };
}

async function timeSteps(
  cfg: BenchConfig,
  step: () => number,
): Promise<{ stepMs: number; steps: number; loss: number }> {
  let loss = Number.NaN;
  for (let i = 0; i < cfg.warmup; i++) loss = step();
  const t0 = performance.now();
  let n = 0;
  while (n < cfg.steps && (n === 0 || performance.now() - t0 < cfg.budgetS * 1000)) {
    loss = step();
    n++;
  }
  return { stepMs: (performance.now() - t0) / n, steps: n, loss };
}

/** Our fused LSTM encoder-decoder, time-major end to end. */
export async function benchOurs(
  cfg: BenchConfig,
  backend: 'wasm' | 'cpu',
  profileKernels = false,
): Promise<BenchRow> {
  await initBackend(backend);
  const { batch: b, srcLen: S, tgtLen: T, vocab: V, emb: E, hidden: H } = cfg;
  const d = batchData(cfg);
  const tm = (a: Int32Array, len: number) =>
    tf.tidy(() => tf.transpose(tf.tensor2d(a, [b, len], 'int32'))); // [len, b]
  const srcT = tm(d.src, S);
  const decT = tm(d.decIn, T);
  const labels = tf.tidy(() => tf.reshape(tm(d.tgt, T), [T * b]) as tf.Tensor1D); // time-major rows, as the logits
  const mask = tf.tidy(() => tf.cast(tf.notEqual(labels, 0), 'float32') as tf.Tensor1D);
  const v = (t: tf.Tensor, name: string) => tf.variable(t, true, `${name}_${Math.random()}`);
  const w = (lw: LSTMWeights, name: string) => ({
    kernel: v(lw.kernel, `${name}k`),
    recurrentKernel: v(lw.recurrentKernel, `${name}r`),
    bias: v(lw.bias, `${name}b`),
  });
  const srcEmb = v(tf.randomUniform([V, E], -0.05, 0.05, 'float32', 3), 'se');
  const tgtEmb = v(tf.randomUniform([V, E], -0.05, 0.05, 'float32', 4), 'te');
  const enc = w(initLSTMWeights(E, H, { seed: 5 }), 'enc');
  const dec = w(initLSTMWeights(E, H, { seed: 6 }), 'dec');
  const wOut = v(tf.tensor2d(glorotUniform(H, V, 7), [H, V]), 'wo');
  const bOut = v(tf.zeros([V]), 'bo');
  const vars = [
    srcEmb,
    tgtEmb,
    enc.kernel,
    enc.recurrentKernel,
    enc.bias,
    dec.kernel,
    dec.recurrentKernel,
    dec.bias,
    wOut,
    bOut,
  ];
  const opt = tf.train.adam(1e-3);
  const lossFn = () => {
    const e = lstmTimeMajor(tf.gather(srcEmb, srcT) as tf.Tensor3D, enc as unknown as LSTMWeights, {
      returnSequences: false,
    }); // [S, b, E] in
    const r = lstmTimeMajor(tf.gather(tgtEmb, decT) as tf.Tensor3D, dec as unknown as LSTMWeights, {
      initialState: { h: e.h, c: e.c },
    });
    const logits = tf.add(
      tf.matMul(tf.reshape(r.sequence as tf.Tensor3D, [T * b, H]), wOut),
      bOut,
    ) as tf.Tensor2D; // [T*b, V]
    return sparseSoftmaxCrossEntropy(logits, labels, mask);
  };
  const step = () => {
    const l = opt.minimize(lossFn, true, vars) as tf.Scalar;
    const x = l.dataSync()[0] as number;
    l.dispose();
    return x;
  };
  const t = await timeSteps(cfg, step);
  const profile = profileKernels ? await kernelProfile(step) : undefined;
  tf.dispose([srcT, decT, labels, mask, ...vars]);
  opt.dispose();
  return { name: 'ours', backend, tokensPerS: (b * T) / (t.stepMs / 1000), ...t, profile };
}

/** Per-kernel time of one training step, summed by kernel name and input shapes, largest first. */
async function kernelProfile(step: () => number): Promise<ProfileRow[]> {
  const info = await tf.profile(() => {
    step();
  });
  const agg = new Map<string, ProfileRow>();
  for (const k of info.kernels) {
    // Composite scopes (customGrad ops, logSoftmax) also appear and would count their kernels twice.
    if (!tf.getKernel(k.name, tf.getBackend())) continue;
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const row = agg.get(key) ?? { kernel: key, ms: 0, calls: 0 };
    row.ms += Number(k.kernelTimeMs);
    row.calls++;
    agg.set(key, row);
  }
  return [...agg.values()].sort((a, b) => b.ms - a.ms);
}

/** Stock tf.layers.lstm model on wasm with only UnsortedSegmentSum added (the tfjs baseline). */
export async function benchTfjsLayers(cfg: BenchConfig): Promise<BenchRow> {
  await initBackend('wasm');
  setWasmMatMulRoute(false);
  try {
    const { batch: b, srcLen: S, tgtLen: T, vocab: V, emb: E, hidden: H } = cfg;
    const d = batchData(cfg);
    // glorotUniform recurrent init only because tfjs's orthogonal takes long to build; it does not change step time.
    const rec = { recurrentInitializer: 'glorotUniform' } as const;
    const srcIn = tfl.input({ shape: [S], dtype: 'int32' });
    const tgtIn = tfl.input({ shape: [T], dtype: 'int32' });
    const se = tfl.layers
      .embedding({ inputDim: V, outputDim: E })
      .apply(srcIn) as tfl.SymbolicTensor;
    const [, h, c] = tfl.layers
      .lstm({ units: H, returnState: true, ...rec })
      .apply(se) as tfl.SymbolicTensor[];
    const te = tfl.layers
      .embedding({ inputDim: V, outputDim: E })
      .apply(tgtIn) as tfl.SymbolicTensor;
    const dy = tfl.layers
      .lstm({ units: H, returnSequences: true, ...rec })
      .apply(te, { initialState: [h, c] }) as tfl.SymbolicTensor;
    const out = tfl.layers
      .dense({ units: V, activation: 'softmax' })
      .apply(dy) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: [srcIn, tgtIn], outputs: out });
    model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
    const src = tf.tensor2d(d.src, [b, S], 'int32');
    const decIn = tf.tensor2d(d.decIn, [b, T], 'int32');
    const tgt = tf.tensor3d(Float32Array.from(d.tgt), [b, T, 1]);
    let loss = Number.NaN;
    for (let i = 0; i < cfg.warmup; i++)
      loss = (await model.trainOnBatch([src, decIn], tgt)) as number;
    const t0 = performance.now();
    let n = 0;
    while (n < cfg.steps && (n === 0 || performance.now() - t0 < cfg.budgetS * 1000)) {
      loss = (await model.trainOnBatch([src, decIn], tgt)) as number;
      n++;
    }
    const stepMs = (performance.now() - t0) / n;
    tf.dispose([src, decIn, tgt]);
    model.dispose();
    return {
      name: 'tfjs-layers',
      backend: 'wasm',
      tokensPerS: (b * T) / (stepMs / 1000),
      stepMs,
      steps: n,
      loss,
    };
  } finally {
    setWasmMatMulRoute(true);
  }
}

/** PyTorch nn.LSTM on the same workload via /usr/bin/python3, or null when torch is not importable. */
export function benchTorch(
  cfg: BenchConfig,
  threads = 2,
): Promise<{
  tokensPerS: number;
  stepMs: number;
  blas: string;
  blasLibs: string[];
  version: string;
} | null> {
  const script = fileURLToPath(new URL('./torch_lstm.py', import.meta.url));
  return new Promise((resolve) => {
    execFile(
      '/usr/bin/python3',
      [script, JSON.stringify({ ...cfg, warmup: Math.max(cfg.warmup, 2), threads })],
      { timeout: 180_000 },
      (err, stdout) => {
        if (err) return resolve(null);
        try {
          const last = stdout.trim().split('\n').pop() ?? '';
          const r = JSON.parse(last) as {
            tokens_per_s: number;
            step_ms: number;
            blas: string;
            blas_libs: string[];
            torch_version: string;
          };
          resolve({
            tokensPerS: r.tokens_per_s,
            stepMs: r.step_ms,
            blas: r.blas,
            blasLibs: r.blas_libs,
            version: r.torch_version,
          });
        } catch {
          resolve(null);
        }
      },
    );
  });
}
