// `seqlab bench lstm`: workload W (seq2seq LSTM, Adam) on our LSTM (cpu, wasm), on seqlab's
// multi-core WebAssembly kernels (Node threads and headless Chromium), stock tf.layers.lstm on
// wasm and PyTorch, plus the shipped translate-en-es configuration on real batches (kernels vs
// PyTorch) and the machine's matmul peak; last line is JSON.

import { readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BenchConfig,
  type BenchRow,
  benchOurs,
  benchTfjsLayers,
  DEFAULT_BENCH,
} from '@seqlab/rnn/node';
import type { Command } from 'commander';
import { intFlag, parseNumber, UsageError } from '../args';
import {
  type BrowserBench,
  type KernelBench,
  lastJson,
  ROOT,
  round,
  TORCH,
  tsxNode,
} from '../bench-runs';
import { examples } from '../help';

export function register(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  const cmd = bench
    .command('lstm')
    .description(
      'Train workload W (batch 64, len 20, vocab 2000, emb 128, hidden 256, Adam) and print target tokens/s',
    )
    .option('--json', 'print only the JSON result line')
    .option(
      '--steps <n>',
      'timed steps per variant (at most), 1..100000',
      intFlag('--steps', 1, 100_000),
      DEFAULT_BENCH.steps,
    )
    .option(
      '--warmup <n>',
      'untimed warm-up steps, 0..1000',
      intFlag('--warmup', 0, 1000),
      DEFAULT_BENCH.warmup,
    )
    .option(
      '--budget <s>',
      'seconds of timed steps per variant (at least one step runs), 1..86400',
      intFlag('--budget', 1, 86_400),
      DEFAULT_BENCH.budgetS,
    )
    .option('--backends <list>', 'our LSTM on these backends (wasm, cpu)', 'wasm,cpu')
    .option('--no-tfjs', 'skip the tf.layers.lstm baseline')
    .option('--no-torch', 'skip PyTorch')
    .option('--profile', 'print where one training step of our LSTM spends its time, by kernel')
    .option(
      '--threads <list>',
      "thread counts for seqlab's kernels, each 1..64 (comma-separated)",
      (v: string) =>
        v
          .split(',')
          .map((t) => parseNumber('--threads', t.trim(), { integer: true, min: 1, max: 64 })),
      [1, 2],
    )
    .option('--no-kernels', "skip seqlab's multi-core kernels (Node and Chromium)")
    .option('--no-real', 'skip the translate-en-es configuration on real batches')
    .option('--no-browser', 'skip the headless Chromium run of the kernels');
  examples(cmd, [
    'pnpm seqlab bench lstm --json',
    'pnpm seqlab bench lstm --backends wasm --no-torch --no-browser --steps 20 --budget 30',
  ]);
  cmd.action(
    async (opts: {
      profile?: boolean;
      json?: boolean;
      steps: number;
      warmup: number;
      budget: number;
      backends: string;
      tfjs: boolean;
      torch: boolean;
      threads: number[];
      kernels: boolean;
      real: boolean;
      browser: boolean;
    }) => {
      const cfg: BenchConfig = {
        ...DEFAULT_BENCH,
        steps: opts.steps,
        warmup: opts.warmup,
        budgetS: opts.budget,
      };
      const backends = opts.backends.split(',').map((s) => s.trim());
      for (const b of backends)
        if (b !== 'wasm' && b !== 'cpu')
          throw new UsageError(
            `--backends expects a comma-separated subset of wasm,cpu; got '${opts.backends}' ('${b}' is unknown)`,
          );
      const say = (s: string) => {
        if (!opts.json) process.stdout.write(`${s}\n`);
      };
      const row = (r: BenchRow) =>
        say(
          `${`${r.name} (${r.backend})`.padEnd(22)} ${r.tokensPerS.toFixed(0).padStart(7)} tokens/s  ${r.stepMs.toFixed(0).padStart(6)} ms/step  ${r.steps} steps  loss ${r.loss.toFixed(3)}`,
        );
      say(
        `workload W: batch ${cfg.batch}, src/tgt length ${cfg.srcLen}/${cfg.tgtLen}, vocab ${cfg.vocab}, emb ${cfg.emb}, hidden ${cfg.hidden}, Adam; ${cfg.warmup} warm-up + up to ${cfg.steps} timed steps`,
      );
      const t0 = Date.now();
      const load = loadavg()[0] as number;
      say(
        `machine: 1-minute load average ${load.toFixed(1)} at start (shared machine: compare ratios within this run)`,
      );
      const threads = opts.threads;
      // seqlab's kernels first (own process: relaxed-SIMD flag, worker threads), writing the
      // real batches for PyTorch's run on the same data.
      const batchesFile = join(tmpdir(), `seqlab-bench-real-${process.pid}.json`);
      const kb = opts.kernels
        ? await lastJson<KernelBench>(
            process.execPath,
            tsxNode('packages/kernels/bench/train-bench.ts', {
              threads,
              steps: cfg.steps,
              warmup: cfg.warmup,
              budgetS: cfg.budgetS,
              real: opts.real,
              batchesOut: batchesFile,
            }),
            900,
          )
        : null;
      if (opts.kernels && !kb) say('kernels: the kernel benchmark failed (see stderr)');
      if (kb) {
        for (const [t, r] of Object.entries(kb.w))
          say(
            `${`seqlab kernels (${t}t)`.padEnd(22)} ${r.tokensPerS.toFixed(0).padStart(7)} tokens/s  ${r.stepMs.toFixed(0).padStart(6)} ms/step  ${r.steps} steps  loss ${r.loss.toFixed(3)}  ${r.gflops.toFixed(1)} GFLOP/s, ${r.cpuTokensPerS.toFixed(0)} tokens/CPU-s${r.relaxed ? ', relaxed-SIMD FMA' : ''}`,
          );
        if (kb.real)
          for (const [t, r] of Object.entries(kb.real.byThreads))
            say(
              `${`real config, kernels (${t}t)`.padEnd(22)} ${r.tokensPerS.toFixed(0).padStart(7)} tokens/s  ${r.stepMs.toFixed(0).padStart(6)} ms/step  ${r.steps} steps  loss ${r.loss.toFixed(3)}  ${r.cpuTokensPerS.toFixed(0)} tokens/CPU-s`,
            );
        say(
          `WebAssembly SIMD ceiling (register-only f32x4 multiply-adds): ${Object.entries(kb.simd)
            .map(([t, g]) => `${t}t ${g.toFixed(1)}`)
            .join(', ')} GFLOP/s; seqlab GEMM ${Object.entries(kb.peak)
            .map(
              ([t, g]) => `${t}t ${g.toFixed(1)} (${((100 * g) / (kb.simd[t] ?? g)).toFixed(0)}%)`,
            )
            .join(', ')}`,
        );
      }
      const browser =
        kb && opts.browser
          ? await lastJson<BrowserBench>(
              process.execPath,
              tsxNode('packages/kernels/bench/browser.ts', {
                threads: Math.max(...threads),
                steps: cfg.steps,
                warmup: cfg.warmup,
                budgetS: cfg.budgetS,
              }),
              600,
            )
          : null;
      if (browser)
        say(
          `${`chromium kernels (${browser.threads}t)`.padEnd(22)} ${browser.tokensPerS.toFixed(0).padStart(7)} tokens/s  cross-origin isolated: ${browser.crossOriginIsolated}, relaxed SIMD: ${browser.relaxed}`,
        );
      // PyTorch at its best: 2 threads as specified, and 1 thread because OpenMP's spinning
      // collapses on a shared, oversubscribed machine; the faster run counts.
      const torchRuns = [];
      if (opts.torch) {
        for (const threads of [2, 1]) {
          // torch_lstm.py directly (as benchTorch does) to also read its CPU-time rate.
          const j = await lastJson<{
            tokens_per_s: number;
            cpu_tokens_per_s: number;
            step_ms: number;
            blas: string;
            torch_version: string;
          }>(
            '/usr/bin/python3',
            [TORCH, JSON.stringify({ ...cfg, warmup: Math.max(cfg.warmup, 2), threads })],
            180,
          );
          if (j == null) break;
          const r = {
            tokensPerS: j.tokens_per_s,
            cpuTokensPerS: j.cpu_tokens_per_s,
            stepMs: j.step_ms,
            blas: j.blas,
            version: j.torch_version,
          };
          torchRuns.push({ ...r, threads });
          say(
            `${`pytorch nn.LSTM (${threads}t)`.padEnd(22)} ${r.tokensPerS.toFixed(0).padStart(7)} tokens/s  ${r.stepMs.toFixed(0).padStart(6)} ms/step  ${r.cpuTokensPerS.toFixed(0)} tokens/CPU-s  torch ${r.version}, BLAS ${r.blas}`,
          );
        }
        if (torchRuns.length === 0) {
          say(
            'pytorch: not importable by /usr/bin/python3 (apt-get install -y python3-torch libopenblas0-openmp)',
          );
        }
      }
      const torch = torchRuns.reduce<(typeof torchRuns)[number] | null>(
        (a, r) => (a == null || r.tokensPerS > a.tokensPerS ? r : a),
        null,
      );
      // PyTorch on the real configuration (same batches) and the machine's matmul peak.
      const torchReal: Record<string, number> = {};
      const torchRealCpu: Record<string, number> = {};
      const torchPeak: Record<string, number> = {};
      if (opts.torch && torchRuns.length > 0) {
        if (kb?.real) {
          const model = readFileSync(join(ROOT, 'configs/translate-en-es.json'), 'utf8');
          const c = JSON.parse(model) as { model: object; vocabSize: number; lr: number };
          for (const t of [2, 1]) {
            const r = await lastJson<{
              tokens_per_s: number;
              cpu_tokens_per_s: number;
              step_ms: number;
            }>(
              '/usr/bin/python3',
              [
                TORCH,
                JSON.stringify({
                  mode: 'real',
                  threads: t,
                  batches: batchesFile,
                  model: c.model,
                  vocab: c.vocabSize,
                  lr: c.lr,
                  steps: cfg.steps,
                  warmup: cfg.warmup,
                  budgetS: cfg.budgetS,
                }),
              ],
              300,
            );
            if (r) {
              torchReal[t] = r.tokens_per_s;
              torchRealCpu[t] = r.cpu_tokens_per_s;
              say(
                `${`real config, torch (${t}t)`.padEnd(22)} ${r.tokens_per_s.toFixed(0).padStart(7)} tokens/s  ${r.step_ms.toFixed(0).padStart(6)} ms/step  ${r.cpu_tokens_per_s.toFixed(0)} tokens/CPU-s`,
              );
            }
          }
        }
        for (const t of [1, 2]) {
          const r = await lastJson<{ gflops: number }>(
            '/usr/bin/python3',
            [TORCH, JSON.stringify({ mode: 'peak', threads: t })],
            120,
          );
          if (r) torchPeak[t] = r.gflops;
        }
        say(
          `matmul peak (torch sgemm 1024³): ${Object.entries(torchPeak)
            .map(([t, g]) => `${t}t ${g.toFixed(1)}`)
            .join(', ')} GFLOP/s; seqlab GEMM: ${Object.entries(kb?.peak ?? {})
            .map(([t, g]) => `${t}t ${g.toFixed(1)}`)
            .join(', ')} GFLOP/s`,
        );
      }
      const ours: Record<string, BenchRow> = {};
      for (const b of backends) {
        // cpu runs tfjs's plain-JS matmuls (~50x slower than wasm): a single step, to stay within ~3 minutes.
        const r = await benchOurs(
          b === 'cpu' ? { ...cfg, warmup: 0, steps: 1 } : cfg,
          b as 'wasm' | 'cpu',
          opts.profile ?? false,
        );
        ours[b] = r;
        row(r);
        if (r.profile) {
          const total = r.profile.reduce((s, p) => s + p.ms, 0);
          say(`  kernel time of one step: ${total.toFixed(0)} ms; top kernels:`);
          for (const p of r.profile.slice(0, 15)) {
            say(`  ${p.ms.toFixed(1).padStart(8)} ms ${String(p.calls).padStart(4)}x  ${p.kernel}`);
          }
        }
      }
      const tfjs = opts.tfjs
        ? await benchTfjsLayers({ ...cfg, warmup: 1, steps: Math.min(cfg.steps, 3) })
        : null;
      if (tfjs) row(tfjs);
      const best = Object.values(ours).reduce<BenchRow | null>(
        (a, r) => (a == null || r.tokensPerS > a.tokensPerS ? r : a),
        null,
      );
      const oursTps = best?.tokensPerS ?? null;
      const bestOf = (m: Record<string, number>) => {
        const v = Object.values(m);
        return v.length ? Math.max(...v) : null;
      };
      const kByT = Object.fromEntries(
        Object.entries(kb?.w ?? {}).map(([t, r]) => [t, r.tokensPerS]),
      );
      const kTps = bestOf(kByT);
      const realByT = Object.fromEntries(
        Object.entries(kb?.real?.byThreads ?? {}).map(([t, r]) => [t, r.tokensPerS]),
      );
      const realTps = bestOf(realByT);
      const torchRealTps = bestOf(torchReal);
      // The machine's peak: the faster of PyTorch's BLAS and this GEMM, any thread count.
      const peak = bestOf({
        ...Object.fromEntries(Object.entries(torchPeak).map(([t, v]) => [`torch${t}`, v])),
        ...Object.fromEntries(Object.entries(kb?.peak ?? {}).map(([t, v]) => [`kernels${t}`, v])),
      });
      const frac = (tps: number | null, flopsPerToken: number | undefined) =>
        tps != null && flopsPerToken && peak ? round((tps * flopsPerToken) / 1e9 / peak, 3) : null;
      // The most any WebAssembly step could reach: every matmul FLOP at the SIMD ceiling (nothing
      // else costing time), against PyTorch in the same run.
      const simdCeiling = bestOf(kb?.simd ?? {});
      const ceiling = (flopsPerToken: number | undefined, against: number | null) => {
        if (simdCeiling == null || !flopsPerToken) return null;
        const tps = (simdCeiling * 1e9) / flopsPerToken;
        return {
          tokens_per_s: round(tps),
          ratio_vs_torch: against ? round(tps / against, 3) : null,
        };
      };
      const nodeSameThreads = browser ? (kByT[String(browser.threads)] ?? null) : null;
      const result = {
        workload: 'seq2seq-lstm-W',
        ours_tokens_per_s: round(oursTps),
        ours_backend: best?.backend ?? null,
        ours_by_backend: Object.fromEntries(
          Object.entries(ours).map(([k, r]) => [k, round(r.tokensPerS)]),
        ),
        tfjs_layers_tokens_per_s: round(tfjs?.tokensPerS ?? null),
        torch_tokens_per_s: round(torch?.tokensPerS ?? null),
        torch_blas: torch?.blas ?? null,
        torch_threads: torch?.threads ?? null,
        torch_by_threads: Object.fromEntries(
          torchRuns.map((r) => [String(r.threads), round(r.tokensPerS)]),
        ),
        ratio_vs_tfjs_layers: oursTps != null && tfjs ? round(oursTps / tfjs.tokensPerS, 2) : null,
        ratio_vs_torch: oursTps != null && torch ? round(oursTps / torch.tokensPerS, 3) : null,
        threads,
        kernels_tokens_per_s: round(kTps),
        kernels_by_threads: Object.fromEntries(Object.entries(kByT).map(([t, v]) => [t, round(v)])),
        kernels_relaxed_simd: kb ? Object.values(kb.w).some((r) => r.relaxed) : null,
        ratio_kernels_vs_torch: kTps != null && torch ? round(kTps / torch.tokensPerS, 3) : null,
        ratio_kernels_vs_tfjs_layers:
          kTps != null && tfjs ? round(kTps / tfjs.tokensPerS, 2) : null,
        real_config_tokens_per_s: round(realTps),
        real_config_by_threads: Object.fromEntries(
          Object.entries(realByT).map(([t, v]) => [t, round(v)]),
        ),
        torch_real_config_tokens_per_s: round(torchRealTps),
        torch_real_config_by_threads: Object.fromEntries(
          Object.entries(torchReal).map(([t, v]) => [t, round(v)]),
        ),
        ratio_real_config_vs_torch:
          realTps != null && torchRealTps ? round(realTps / torchRealTps, 3) : null,
        real_config_data: kb?.real ? `${kb.real.data}; ${kb.real.batches} batches of 64` : null,
        matmul_peak_gflops: round(peak),
        matmul_peak_by: {
          torch: Object.fromEntries(Object.entries(torchPeak).map(([t, v]) => [t, round(v)])),
          kernels: Object.fromEntries(
            Object.entries(kb?.peak ?? {}).map(([t, v]) => [t, round(v)]),
          ),
        },
        simd_ceiling_gflops: Object.fromEntries(
          Object.entries(kb?.simd ?? {}).map(([t, v]) => [t, round(v)]),
        ),
        simd_ceiling_W: ceiling(kb?.wFlopsPerToken, torch?.tokensPerS ?? null),
        simd_ceiling_real: ceiling(kb?.real?.flopsPerToken, torchRealTps),
        peak_fraction: {
          kernels_W: frac(kTps, kb?.wFlopsPerToken),
          torch_W: frac(torch?.tokensPerS ?? null, kb?.wFlopsPerToken),
          ours_W: frac(oursTps, kb?.wFlopsPerToken),
          kernels_real: frac(realTps, kb?.real?.flopsPerToken),
          torch_real: frac(torchRealTps, kb?.real?.flopsPerToken),
        },
        browser_tokens_per_s: round(browser?.tokensPerS ?? null),
        browser_threads: browser?.threads ?? null,
        browser_cross_origin_isolated: browser?.crossOriginIsolated ?? null,
        ratio_browser_vs_node:
          browser && nodeSameThreads ? round(browser.tokensPerS / nodeSameThreads, 3) : null,
        // Per second of the process's CPU time (all its threads): what a run reaches with its
        // cores to itself; the 1-thread figures compare the code, whatever else the machine runs.
        cpu_time_tokens_per_s: {
          kernels_W: Object.fromEntries(
            Object.entries(kb?.w ?? {}).map(([t, r]) => [t, round(r.cpuTokensPerS)]),
          ),
          torch_W: Object.fromEntries(
            torchRuns.map((r) => [String(r.threads), round(r.cpuTokensPerS)]),
          ),
          kernels_real: Object.fromEntries(
            Object.entries(kb?.real?.byThreads ?? {}).map(([t, r]) => [t, round(r.cpuTokensPerS)]),
          ),
          torch_real: Object.fromEntries(
            Object.entries(torchRealCpu).map(([t, v]) => [t, round(v)]),
          ),
        },
        load_average_1m: round(load, 2),
        load_average_1m_end: round(loadavg()[0] as number, 2),
        seconds: round((Date.now() - t0) / 1000),
      };
      rmSync(batchesFile, { force: true });
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
  );
}
