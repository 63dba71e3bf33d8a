// The ceiling of any WebAssembly code on this machine: multiply-adds per second of 128-bit SIMD
// with nothing but registers (12 independent f32x4 chains, enough to hide the FMA latency), on
// `threads` worker threads at once. A GEMM cannot beat it; what a training step needs in matmul
// FLOPs divided by it bounds the step's tokens/s from above. Node only (worker_threads, wabt).
import { Worker } from 'node:worker_threads';
import wabtInit from 'wabt';

const CHAINS = 12;

/** The module: fma(n) runs n rounds of CHAINS f32x4 multiply-adds (relaxed_madd or mul + add). */
function wat(relaxed: boolean): string {
  const madd = (x: string) =>
    relaxed
      ? `(f32x4.relaxed_madd (local.get ${x}) (local.get $m) (local.get $a))`
      : `(f32x4.add (f32x4.mul (local.get ${x}) (local.get $m)) (local.get $a))`;
  const accs = Array.from({ length: CHAINS }, (_, i) => `$c${i}`);
  return `(module
  (func (export "fma") (param $n i32) (result f32)
    (local $m v128) (local $a v128) ${accs.map((c) => `(local ${c} v128)`).join(' ')}
    (local.set $m (v128.const f32x4 0.999 0.999 0.999 0.999))
    (local.set $a (v128.const f32x4 0.001 0.001 0.001 0.001))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $n)))
      ${accs.map((c) => `(local.set ${c} ${madd(c)})`).join('\n      ')}
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $next)))
    (f32x4.extract_lane 0 ${accs.slice(1).reduce((e, c) => `(f32x4.add ${e} (local.get ${c}))`, `(local.get ${accs[0]})`)})))`;
}

/** The register-only module, relaxed-SIMD where the runtime validates it, else plain SIMD. */
export async function compile(): Promise<{ module: WebAssembly.Module; relaxed: boolean }> {
  const wabt = await wabtInit();
  for (const relaxed of [true, false]) {
    const m = wabt.parseWat('simd-peak.wat', wat(relaxed), {
      simd: true,
      relaxed_simd: relaxed,
    } as Record<string, boolean>);
    try {
      const bytes = new Uint8Array(m.toBinary({}).buffer);
      if (WebAssembly.validate(bytes)) return { module: new WebAssembly.Module(bytes), relaxed };
    } finally {
      m.destroy();
    }
  }
  throw new Error('simd-peak: this runtime validates no WebAssembly SIMD');
}

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fma = new WebAssembly.Instance(workerData.module).exports.fma;
fma(1000);
const flag = new Int32Array(workerData.go);
parentPort.postMessage('ready');
Atomics.wait(flag, 0, 0);
const t0 = performance.now();
fma(workerData.rounds);
parentPort.postMessage(performance.now() - t0);
`;

/**
 * GFLOP/s of `threads` threads each running register-only f32x4 multiply-adds at once (best of
 * `tries`), and whether they were relaxed-SIMD FMAs.
 *
 * @example
 * const { gflops } = await simdPeak(2); // ~100 on a 2-core 3 GHz x86 with FMA3
 */
export async function simdPeak(
  threads: number,
  rounds = 50_000_000,
  tries = 3,
): Promise<{ gflops: number; relaxed: boolean }> {
  const { module, relaxed } = await compile();
  let best = 0;
  for (let t = 0; t < tries; t++) {
    const go = new SharedArrayBuffer(4);
    const workers = Array.from(
      { length: threads },
      () => new Worker(WORKER, { eval: true, workerData: { module, go, rounds } }),
    );
    try {
      const ms = await new Promise<number[]>((resolve, reject) => {
        let ready = 0;
        const times: number[] = [];
        for (const w of workers) {
          w.on('error', reject);
          w.on('message', (m: unknown) => {
            if (m === 'ready') {
              if (++ready === threads) {
                const flag = new Int32Array(go);
                Atomics.store(flag, 0, 1);
                Atomics.notify(flag, 0);
              }
            } else {
              times.push(m as number);
              if (times.length === threads) resolve(times);
            }
          });
        }
      });
      // Each round: CHAINS multiply-adds of 4 lanes, 2 FLOPs each; all threads' work over the slowest.
      const flops = threads * rounds * CHAINS * 4 * 2;
      best = Math.max(best, flops / (Math.max(...ms) / 1000) / 1e9);
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
  return { gflops: best, relaxed };
}
