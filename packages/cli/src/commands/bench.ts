// `seqlab bench lstm`: workload W (seq2seq LSTM, Adam) on our LSTM (cpu, wasm), stock tf.layers.lstm on wasm and PyTorch; last line is JSON.

import {
  type BenchConfig,
  type BenchRow,
  benchOurs,
  benchTfjsLayers,
  benchTorch,
  DEFAULT_BENCH,
} from '@seqlab/rnn/node';
import type { Command } from 'commander';

function intOpt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} expects a non-negative integer; got '${v}'`);
  return n;
}

const round = (x: number | null, d = 1) => (x == null ? null : Math.round(x * 10 ** d) / 10 ** d);

export function register(program: Command): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('Benchmarks');
  bench
    .command('lstm')
    .description(
      'Train workload W (batch 64, len 20, vocab 2000, emb 128, hidden 256, Adam) and print target tokens/s',
    )
    .option('--json', 'print only the JSON result line')
    .option('--steps <n>', 'timed steps per variant (at most)', String(DEFAULT_BENCH.steps))
    .option('--warmup <n>', 'untimed warm-up steps', String(DEFAULT_BENCH.warmup))
    .option(
      '--budget <s>',
      'seconds of timed steps per variant (at least one step runs)',
      String(DEFAULT_BENCH.budgetS),
    )
    .option('--backends <list>', 'our LSTM on these backends (wasm, cpu)', 'wasm,cpu')
    .option('--no-tfjs', 'skip the tf.layers.lstm baseline')
    .option('--no-torch', 'skip PyTorch')
    .option('--profile', 'print where one training step of our LSTM spends its time, by kernel')
    .action(
      async (opts: {
        profile?: boolean;
        json?: boolean;
        steps: string;
        warmup: string;
        budget: string;
        backends: string;
        tfjs: boolean;
        torch: boolean;
      }) => {
        const cfg: BenchConfig = {
          ...DEFAULT_BENCH,
          steps: intOpt('steps', opts.steps),
          warmup: intOpt('warmup', opts.warmup),
          budgetS: intOpt('budget', opts.budget),
        };
        const backends = opts.backends.split(',').map((s) => s.trim());
        for (const b of backends)
          if (b !== 'wasm' && b !== 'cpu')
            throw new Error(`--backends: '${b}' unknown, valid: wasm, cpu`);
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
        // PyTorch at its best: 2 threads as specified, and 1 thread because OpenMP's spinning
        // collapses on a shared, oversubscribed machine; the faster run counts.
        const torchRuns = [];
        if (opts.torch) {
          for (const threads of [2, 1]) {
            const r = await benchTorch(cfg, threads);
            if (r == null) break;
            torchRuns.push({ ...r, threads });
            say(
              `${`pytorch nn.LSTM (${threads}t)`.padEnd(22)} ${r.tokensPerS.toFixed(0).padStart(7)} tokens/s  ${r.stepMs.toFixed(0).padStart(6)} ms/step  torch ${r.version}, BLAS ${r.blas}`,
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
              say(
                `  ${p.ms.toFixed(1).padStart(8)} ms ${String(p.calls).padStart(4)}x  ${p.kernel}`,
              );
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
          ratio_vs_tfjs_layers:
            oursTps != null && tfjs ? round(oursTps / tfjs.tokensPerS, 2) : null,
          ratio_vs_torch: oursTps != null && torch ? round(oursTps / torch.tokensPerS, 3) : null,
          seconds: round((Date.now() - t0) / 1000),
        };
        process.stdout.write(`${JSON.stringify(result)}\n`);
      },
    );
}
