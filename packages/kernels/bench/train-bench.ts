// The kernel training step's benchmark, run as its own process by `seqlab bench lstm`
// (packages/cli/src/commands/bench.ts): workload W and the shipped translate-en-es configuration
// on real batches, per thread count, plus this GEMM's own peak. Prints one JSON line last.
//   tsx packages/kernels/bench/train-bench.ts '{"threads":[1,2],"steps":10,"warmup":2,"budgetS":20}'
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { type KernelBatch, KernelPool, type KernelSeq2SeqConfig, KernelTrainStep, seq2seqLayout } from '../src/index';
import { nodeSpawn } from '../src/node';
import { readConfig, realBatches } from './real-batches';

// Relaxed-SIMD FMA: Node 20 has it behind this flag (set before any module compiles).
setFlagsFromString('--experimental-wasm-relaxed-simd');

export interface WorkloadW {
  batch: number;
  srcLen: number;
  tgtLen: number;
  vocab: number;
  emb: number;
  hidden: number;
}

/** Workload W as a kernel config: unidirectional encoder, decoder from its final state, no attention. */
export function wConfig(w: WorkloadW): KernelSeq2SeqConfig {
  return {
    srcVocab: w.vocab,
    tgtVocab: w.vocab,
    embDim: w.emb,
    hidden: w.hidden,
    encoderHidden: w.hidden,
    encoderLayers: 1,
    decoderLayers: 1,
    bidirectional: false,
    attention: 'none',
    bridge: 'copy',
    dropout: 0,
    labelSmoothing: 0,
  };
}

/** W's batch, the same ids as packages/rnn/bench/workload.ts batchData. */
export function wBatch(w: WorkloadW): KernelBatch {
  const rows = (seed: number, len: number) => {
    let s = seed;
    return Array.from({ length: w.batch }, () =>
      Array.from({ length: len }, () => {
        s = (s * 1103515245 + 12345) >>> 0;
        return 1 + (s % (w.vocab - 1));
      }),
    );
  };
  return { src: rows(1, w.srcLen), tgt: rows(2, w.tgtLen) };
}

/** Matmul FLOPs of one step (forward + both backward products = 3 × forward). */
export function stepFlops(c: KernelSeq2SeqConfig, b: number, S: number, L: number): number {
  const dirs = c.bidirectional ? 2 : 1;
  const h = c.encoderHidden;
  const H = c.hidden;
  const d = h * dirs;
  let mac = dirs * S * b * (c.embDim + h) * 4 * h; // encoder (1 layer per layer below)
  for (let l = 1; l < c.encoderLayers; l++) mac += dirs * S * b * (d + h) * 4 * h;
  mac += L * b * (c.embDim + H) * 4 * H;
  for (let l = 1; l < c.decoderLayers; l++) mac += L * b * 2 * H * 4 * H;
  if ((c.bridge ?? 'dense') === 'dense') mac += c.decoderLayers * 2 * b * d * H;
  if (c.attention === 'dot') mac += S * b * d * H + b * L * S * (H + d) + L * b * (H + d) * H;
  mac += L * b * H * c.tgtVocab;
  return 3 * 2 * mac;
}

function randomParams(c: KernelSeq2SeqConfig): Record<string, Float32Array> {
  let s = 99;
  const out: Record<string, Float32Array> = {};
  for (const slot of seq2seqLayout(c).slots)
    out[slot.name] = Float32Array.from({ length: slot.size }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32 - 0.5) * 0.1;
    });
  return out;
}

const targetTokens = (b: KernelBatch) => b.tgt.reduce((n, r) => n + r.filter((v) => v !== 0).length, 0);

/** Tokens/s and GFLOP/s of `batches` (cycled) after `warmup` steps, within a step count and time budget. */
async function timeRun(
  c: KernelSeq2SeqConfig,
  batches: KernelBatch[],
  threads: number,
  t: { steps: number; warmup: number; budgetS: number },
  lr: number,
) {
  const step = await KernelTrainStep.create(c, randomParams(c), { threads, spawn: nodeSpawn, lr, clipNorm: 5 });
  try {
    for (let i = 0; i < t.warmup; i++) step.step(batches[i % batches.length] as KernelBatch);
    let tokens = 0;
    let flops = 0;
    let n = 0;
    let loss = Number.NaN;
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
    return { tokensPerS: tokens / s, gflops: flops / s / 1e9, stepMs: (1000 * s) / n, steps: n, loss, relaxed: step.pool.relaxed };
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
    const mm = () => pool.gemm({ at: A, rs: n, cs: 1 }, { at: B, rs: n, cs: 1 }, { at: C, ld: n }, n, n, n, false);
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
  const wFlopsPerToken = stepFlops(wc, o.w.batch, o.w.srcLen, o.w.tgtLen) / (o.w.batch * o.w.tgtLen);
  const peak: Record<string, number> = {};
  for (const t of o.threads) peak[t] = await gemmPeak(t);
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
      flops += stepFlops(rc, b.src.length, Math.max(...b.src.map((r) => r.length)), Math.max(...b.tgt.map((r) => r.length)));
    const tokens = rb.batches.reduce((n, b) => n + targetTokens(b), 0);
    real = { data: rb.data, byThreads, config: rc, flopsPerToken: flops / tokens, batches: rb.batches.length };
  }
  return { w, wFlopsPerToken, peak, real };
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
