// Plain SIMD vs relaxed-SIMD FMA for the training step, one thread, workload W: the flag must be
// set before anything compiles, so each build needs its own process. Run both, alternating:
//   pnpm exec tsx packages/kernels/bench/fma-probe.mts plain; pnpm exec tsx packages/kernels/bench/fma-probe.mts fma
import { setFlagsFromString } from 'node:v8';

if (process.argv[2] === 'fma') setFlagsFromString('--experimental-wasm-relaxed-simd');
const { KernelTrainStep } = await import('../src/index');
const { nodeSpawn } = await import('../src/node');
const { benchParams, wBatch, wConfig, targetTokens } = await import('./workload-w');
const w = { batch: 64, srcLen: 20, tgtLen: 20, vocab: 4000, emb: 128, hidden: 256 };
const c = wConfig(w);
const step = await KernelTrainStep.create(c, benchParams(c), {
  threads: 1,
  spawn: nodeSpawn,
  lr: 1e-3,
  clipNorm: 5,
});
const b = wBatch(w);
for (let i = 0; i < 2; i++) step.step(b);
const t0 = performance.now();
let tok = 0;
for (let i = 0; i < 8; i++) {
  step.step(b);
  tok += targetTokens(b);
}
console.log(
  process.argv[2],
  step.relaxed,
  Math.round(tok / ((performance.now() - t0) / 1000)),
  'tok/s',
);
process.exit(0);
