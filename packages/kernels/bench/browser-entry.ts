// In-page half of the Chromium benchmark (bundled by browser.ts): workload W's training step on
// the kernels with Web Workers when the page is cross-origin isolated; result on window.
import { KernelTrainStep, trainKernelSupport, webSpawn } from '../src/index';
import { benchParams, targetTokens, wBatch, wConfig } from './workload-w';

declare global {
  interface Window {
    __bench?: unknown;
  }
}

async function run(): Promise<void> {
  const q = new URLSearchParams(location.search);
  const num = (k: string, d: number) => Number(q.get(k) ?? d);
  const w = { batch: 64, srcLen: 20, tgtLen: 20, vocab: 2000, emb: 128, hidden: 256 };
  const threads = crossOriginIsolated ? num('threads', 2) : 1;
  const c = wConfig(w);
  const batch = wBatch(w);
  const step = await KernelTrainStep.create(c, benchParams(c), { threads, spawn: webSpawn });
  try {
    for (let i = 0; i < num('warmup', 2); i++) step.step(batch);
    let n = 0;
    const t0 = performance.now();
    while (
      n < num('steps', 10) &&
      (n === 0 || performance.now() - t0 < num('budgetS', 20) * 1000)
    ) {
      step.step(batch);
      n++;
    }
    const s = (performance.now() - t0) / 1000;
    window.__bench = {
      tokensPerS: (n * targetTokens(batch)) / s,
      threads,
      steps: n,
      crossOriginIsolated,
      relaxed: step.pool.relaxed,
      support: trainKernelSupport(),
      chromium: navigator.userAgent,
    };
  } finally {
    step.dispose();
  }
}

run().catch((e: unknown) => {
  window.__bench = { error: String(e instanceof Error ? e.stack : e) };
});
