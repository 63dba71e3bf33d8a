// The kernel training step's benchmark, run as its own process by `seqlab bench lstm`
// (packages/cli/src/commands/bench.ts): workload W and the shipped translate-en-es configuration
// on real batches, per thread count, plus this GEMM's own peak and the WebAssembly SIMD ceiling
// (register-only multiply-adds). Prints one JSON line last.
//   tsx packages/kernels/bench/train-bench.ts '{"threads":[1,2],"steps":10,"warmup":2,"budgetS":20}'
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import {
  type KernelBatch,
  KernelPool,
  type KernelSeq2SeqConfig,
  KernelTrainStep,
} from '../src/index';
import { nodeSpawn } from '../src/node';
import { readConfig, realBatches } from './real-batches';
import { simdPeak } from './simd-peak';
import {
  benchParams as randomParams,
  stepFlops,
  targetTokens,
  type WorkloadW,
  wBatch,
  wConfig,
} from './workload-w';

export { stepFlops, type WorkloadW, wBatch, wConfig };

// Relaxed-SIMD FMA: Node 20 has it behind this flag (set before any module compiles).
setFlagsFromString('--experimental-wasm-relaxed-simd');

/** Tokens/s and GFLOP/s of `batches` (cycled) after `warmup` steps, within a step count and time budget. */
async function timeRun(
  c: KernelSeq2SeqConfig,
  batches: KernelBatch[],
  threads: number,
  t: { steps: number; warmup: number; budgetS: number },
  lr: number,
) {
  const step = await KernelTrainStep.create(c, randomParams(c), {
    threads,
    spawn: nodeSpawn,
    lr,
    clipNorm: 5,
  });
  try {
    for (let i = 0; i < t.warmup; i++) step.step(batches[i % batches.length] as KernelBatch);
    let tokens = 0;
    let flops = 0;
    let n = 0;
    let loss = Number.NaN;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    while (n < t.steps && (n === 0 || performance.now() - t0 < t.budgetS * 1000)) {
      const b = batches[n % batches.length] as KernelBatch;
      loss = step.step(b).loss;
      tokens += targetTokens(b);
      const S = Math.max(...b.src.map((r) => r.length));
      const L = Math.max(...b.tgt.map((r) => r.length));
      flops += stepFlops(c, b.src.length, S, L);
      n++;
    }
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    return {
      tokensPerS: tokens / s,
      // per second of CPU time of this process's threads (spinning included): steadier than
      // wall time on a shared machine, equal to it when the process has its cores to itself
      cpuTokensPerS: tokens / ((cpu.user + cpu.system) / 1e6),
      gflops: flops / s / 1e9,
      stepMs: (1000 * s) / n,
      steps: n,
      loss,
      relaxed: step.pool.relaxed,
    };
  } finally {
    step.dispose();
  }
}

/** This GEMM's best rate on 1024³ products at `threads` threads, GFLOP/s. */
export async function gemmPeak(threads: number, budgetS = 2): Promise<number> {
  const pool = await KernelPool.create({ threads, spawn: nodeSpawn });
  try {
    const n = 1024;
    const [A, B, C] = [pool.alloc(n * n), pool.alloc(n * n), pool.alloc(n * n)];
    pool.f32(A, n * n).fill(0.5);
    pool.f32(B, n * n).fill(0.25);
    const mm = () =>
      pool.gemm({ at: A, rs: n, cs: 1 }, { at: B, rs: n, cs: 1 }, { at: C, ld: n }, n, n, n, false);
    mm();
    let best = 0;
    const end = performance.now() + budgetS * 1000;
    while (performance.now() < end) {
      const t0 = performance.now();
      mm();
      best = Math.max(best, (2 * n ** 3) / ((performance.now() - t0) / 1000) / 1e9);
    }
    return best;
  } finally {
    pool.dispose();
  }
}

export interface KernelBenchOptions {
  threads: number[];
  steps: number;
  warmup: number;
  budgetS: number;
  w: WorkloadW;
  /** Also the shipped translate-en-es configuration on real batches. */
  real: boolean;
  /** Write the real batches here (for the PyTorch run on the same batches). */
  batchesOut?: string;
}

export async function runKernelBench(o: KernelBenchOptions) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const timing = { steps: o.steps, warmup: o.warmup, budgetS: o.budgetS };
  const wc = wConfig(o.w);
  const w: Record<string, Awaited<ReturnType<typeof timeRun>>> = {};
  for (const t of o.threads) w[t] = await timeRun(wc, [wBatch(o.w)], t, timing, 1e-3);
  const wFlopsPerToken =
    stepFlops(wc, o.w.batch, o.w.srcLen, o.w.tgtLen) / (o.w.batch * o.w.tgtLen);
  const peak: Record<string, number> = {};
  for (const t of o.threads) peak[t] = await gemmPeak(t);
  // What no WebAssembly code can beat here: register-only f32x4 multiply-adds.
  const simd: Record<string, number> = {};
  for (const t of o.threads) simd[t] = (await simdPeak(t)).gflops;
  let real: null | {
    data: string;
    byThreads: Record<string, Awaited<ReturnType<typeof timeRun>>>;
    config: KernelSeq2SeqConfig;
    flopsPerToken: number;
    batches: number;
  } = null;
  if (o.real) {
    const cfg = readConfig(root);
    const rb = realBatches(root, 16);
    if (o.batchesOut) writeFileSync(o.batchesOut, JSON.stringify(rb.batches));
    const m = cfg.model as Record<string, number | boolean | string>;
    const rc: KernelSeq2SeqConfig = {
      srcVocab: rb.vocab,
      tgtVocab: rb.vocab,
      embDim: m.embDim as number,
      hidden: m.hidden as number,
      encoderHidden: m.encoderHidden as number,
      encoderLayers: m.encoderLayers as number,
      decoderLayers: m.decoderLayers as number,
      bidirectional: m.bidirectional as boolean,
      attention: m.attention as string,
      inputFeeding: m.inputFeeding as boolean,
      tieEmbeddings: m.tieEmbeddings as boolean,
      dropout: m.dropout as number,
      labelSmoothing: m.labelSmoothing as number,
    };
    const byThreads: Record<string, Awaited<ReturnType<typeof timeRun>>> = {};
    for (const t of o.threads) byThreads[t] = await timeRun(rc, rb.batches, t, timing, cfg.lr);
    let flops = 0;
    for (const b of rb.batches)
      flops += stepFlops(
        rc,
        b.src.length,
        Math.max(...b.src.map((r) => r.length)),
        Math.max(...b.tgt.map((r) => r.length)),
      );
    const tokens = rb.batches.reduce((n, b) => n + targetTokens(b), 0);
    real = {
      data: rb.data,
      byThreads,
      config: rc,
      flopsPerToken: flops / tokens,
      batches: rb.batches.length,
    };
  }
  return { w, wFlopsPerToken, peak, simd, real };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = JSON.parse(process.argv[2] ?? '{}') as Partial<KernelBenchOptions>;
  const r = await runKernelBench({
    threads: arg.threads ?? [1, 2],
    steps: arg.steps ?? 10,
    warmup: arg.warmup ?? 2,
    budgetS: arg.budgetS ?? 20,
    w: arg.w ?? { batch: 64, srcLen: 20, tgtLen: 20, vocab: 2000, emb: 128, hidden: 256 },
    real: arg.real ?? true,
    batchesOut: arg.batchesOut ?? join(process.cwd(), 'bench-real-batches.json'),
  });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
