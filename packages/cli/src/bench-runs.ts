// What `seqlab bench lstm` runs in child processes: the kernels' and Chromium's benchmark scripts
// and PyTorch's, each printing one JSON line that is read back here.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const round = (x: number | null, d = 1) =>
  x == null ? null : Math.round(x * 10 ** d) / 10 ** d;

/** The repository root (this file is packages/cli/src/bench-runs.ts). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs a command and parses the last line of its stdout as JSON (null on any failure). */
export function lastJson<T>(cmd: string, args: string[], timeoutS: number): Promise<T | null> {
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { cwd: ROOT, timeout: timeoutS * 1000, maxBuffer: 1 << 26 },
      (err, stdout, stderr) => {
        if (err) {
          process.stderr.write(
            `${cmd} ${args[args.length - 2] ?? ''}: ${String(stderr).slice(-2000)}\n`,
          );
          return resolve(null);
        }
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as T);
        } catch {
          resolve(null);
        }
      },
    );
  });
}

export interface KernelRun {
  tokensPerS: number;
  cpuTokensPerS: number;
  gflops: number;
  stepMs: number;
  steps: number;
  loss: number;
  relaxed: boolean;
}
export interface KernelBench {
  w: Record<string, KernelRun>;
  wFlopsPerToken: number;
  peak: Record<string, number>;
  /** Register-only f32x4 multiply-adds per thread count, GFLOP/s: no WebAssembly code beats it. */
  simd: Record<string, number>;
  real: null | {
    data: string;
    byThreads: Record<string, KernelRun>;
    flopsPerToken: number;
    batches: number;
  };
}
export interface BrowserBench {
  tokensPerS: number;
  threads: number;
  crossOriginIsolated: boolean;
  relaxed: boolean;
  chromium: string;
}

export const tsxNode = (script: string, arg: unknown) => [
  '--import',
  'tsx',
  join(ROOT, script),
  JSON.stringify(arg),
];
export const TORCH = join(ROOT, 'packages/rnn/bench/torch_lstm.py');
