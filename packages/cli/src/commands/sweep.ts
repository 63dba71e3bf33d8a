// `seqlab sweep translate`: a capacity sweep measured the way the models are chosen — each
// variant of a config trained on the same budget, scored on whole held-out applications through
// the shipped pipeline, sized and timed against the browser budgets, in one table.
import { spawn } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { intFlag, numberFlag, UsageError } from '../args';
import { examples } from '../help';
import { BUDGET_MS } from './bench-decode';

interface SweepOptions {
  config: string;
  grid: string;
  out: string;
  maxSteps?: number;
  minutes?: number;
  engine: string;
  threads?: number;
  dev?: string;
  devLimit?: number;
  budgetMb: number;
  latencyMs: number;
  rounds: number;
  json?: boolean;
  dryRun?: boolean;
  testSize: number;
}

/** One variant's measured row (sweep.json, and `<out>/<name>/result.json`). */
export interface SweepRow {
  name: string;
  set: Record<string, unknown>;
  status: 'done' | 'over-budget' | 'failed';
  params: number;
  /** Weight bytes at the config's quantization, before training (what the budget is checked on). */
  weight_mb: number;
  /** The trained folder on disk (weights, model.json, tokenizer). */
  folder_mb?: number;
  steps?: number;
  train_minutes?: number;
  /** Best validation BLEU during training (greedy, the config's validSize first dev strings). */
  valid_bleu?: number;
  dev_bleu?: number;
  dev_chrf?: number;
  dev_n?: number;
  greedy_ms?: number;
  within_budget?: boolean;
  error?: string;
}

const mb = (bytes: number) => Math.round((bytes / 1e6) * 100) / 100;

function folderBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    const s = statSync(path.join(dir, f));
    n += s.isDirectory() ? folderBytes(path.join(dir, f)) : s.size;
  }
  return n;
}

/**
 * Run this same CLI (`seqlab ARGS`) as a child: each variant trains, is scored and is timed in a
 * process of its own, so a crash or a leak in one loses nothing of the others.
 */
function seqlabChild(
  args: string[],
  capture: boolean,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = [...process.execArgv, process.argv[1] as string, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', (e) => reject(new Error(`cannot start seqlab ${args[0]}: ${e.message}`)));
    child.on('exit', (c, sig) => resolve({ code: c ?? (sig ? 128 : 1), stdout, stderr }));
  });
}

/** The last line of a child's stdout as JSON (eval and bench decode print one JSON line). */
function lastJson(stdout: string, what: string): Record<string, unknown> {
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`${what}: expected a JSON line on stdout, got ${JSON.stringify(line)}`);
  }
}

/** The table of a sweep, best dev BLEU first, in Markdown. */
export function sweepTable(rows: readonly SweepRow[], chosen: string | null): string {
  const head =
    '| variant | set | params | weights MB | steps | minutes | valid BLEU | dev BLEU / chrF | greedy ms | budgets |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  const sorted = [...rows].sort((a, b) => (b.dev_bleu ?? -1) - (a.dev_bleu ?? -1));
  const cell = (x: number | undefined) => (x === undefined ? '–' : String(x));
  return [
    head,
    ...sorted.map(
      (r) =>
        `| ${r.name === chosen ? `**${r.name}**` : r.name} | \`${JSON.stringify(r.set)}\` | ${(r.params / 1e6).toFixed(2)} M | ${r.weight_mb} | ${cell(r.steps)} | ${cell(r.train_minutes)} | ${cell(r.valid_bleu)} | ${r.dev_bleu === undefined ? '–' : `${r.dev_bleu} / ${r.dev_chrf}`} | ${cell(r.greedy_ms)} | ${r.status === 'done' ? (r.within_budget ? 'within' : 'OVER') : r.status}${r.error ? `: ${r.error}` : ''} |`,
    ),
  ].join('\n');
}

async function runVariant(
  o: SweepOptions,
  v: { name: string; set: Record<string, unknown>; params: number; weightBytes: number },
  dir: string,
  cfgFile: string,
  runDir: string,
  modelDir: string,
  dev: string,
  say: (s: string) => void,
): Promise<SweepRow> {
  const row: SweepRow = {
    name: v.name,
    set: v.set,
    status: 'done',
    params: v.params,
    weight_mb: mb(v.weightBytes),
  };
  if (v.weightBytes > o.budgetMb * 1e6) {
    say(`${v.name}: ${row.weight_mb} MB of weights > --budget-mb ${o.budgetMb}: not trained`);
    return { ...row, status: 'over-budget' };
  }
  const historyFile = path.join(runDir, 'history.json');
  const readHistory = () =>
    existsSync(historyFile)
      ? (JSON.parse(readFileSync(historyFile, 'utf8')) as {
          step: number;
          seconds: number;
          history: { step: number; bleu: number }[];
        })
      : null;
  const before = readHistory();
  const resume = existsSync(path.join(runDir, 'checkpoint'));
  // A resumed --minutes budget is what the variant has left, so every variant gets the same time.
  const minutes =
    o.minutes === undefined
      ? undefined
      : Math.max(0.05, o.minutes - (resume && before ? before.seconds / 60 : 0));
  const args = [
    'train',
    'translate',
    '--config',
    cfgFile,
    '--engine',
    o.engine,
    ...(o.threads !== undefined ? ['--threads', String(o.threads)] : []),
    ...(resume ? ['--resume'] : []),
    ...(o.maxSteps !== undefined ? ['--max-steps', String(o.maxSteps)] : []),
    ...(minutes !== undefined ? ['--minutes', String(Math.round(minutes * 1000) / 1000)] : []),
  ];
  say(`${v.name}: seqlab ${args.join(' ')}`);
  const t = await seqlabChild(args, false);
  if (t.code !== 0 || !existsSync(path.join(modelDir, 'model.json')))
    return { ...row, status: 'failed', error: `training exited with status ${t.code}` };
  const h = readHistory();
  if (h) {
    row.steps = h.step;
    row.train_minutes = Math.round((h.seconds / 60) * 10) / 10;
    const best = Math.max(...h.history.map((e) => e.bleu));
    if (Number.isFinite(best)) row.valid_bleu = Math.round(best * 100) / 100;
  }
  row.folder_mb = mb(folderBytes(modelDir));
  const e = await seqlabChild(
    [
      'eval',
      'translate',
      '--model',
      modelDir,
      '--test',
      dev,
      '--beam',
      '1',
      ...(o.devLimit !== undefined ? ['--limit', String(o.devLimit)] : []),
      '--json',
      '--quiet',
    ],
    true,
  );
  if (e.code !== 0)
    return { ...row, status: 'failed', error: `eval exited with status ${e.code}: ${e.stderr}` };
  const ev = lastJson(e.stdout, 'seqlab eval translate');
  row.dev_bleu = ev.bleu as number;
  row.dev_chrf = ev.chrf as number;
  row.dev_n = ev.n as number;
  const b = await seqlabChild(
    ['bench', 'decode', '--models', modelDir, '--rounds', String(o.rounds), '--json'],
    true,
  );
  if (b.code !== 0)
    return { ...row, status: 'failed', error: `bench decode exited with status ${b.code}` };
  const timing = lastJson(b.stdout, 'seqlab bench decode')[modelDir] as
    | { greedy_ms_median?: number }
    | undefined;
  row.greedy_ms = timing?.greedy_ms_median;
  row.within_budget = (row.folder_mb ?? 0) <= o.budgetMb && (row.greedy_ms ?? 0) <= o.latencyMs;
  say(
    `${v.name}: dev BLEU ${row.dev_bleu} (${row.dev_n} strings), ${row.folder_mb} MB, greedy ${row.greedy_ms} ms`,
  );
  writeFileSync(path.join(dir, 'result.json'), `${JSON.stringify(row, null, 2)}\n`);
  return row;
}

export function register(program: Command): void {
  const sweep = program
    .command('sweep')
    .description('train variants of a config on one budget and compare them on held-out data');
  const cmd = sweep
    .command('translate')
    .description(
      'capacity sweep of a translation config: each variant of --grid trained for the same steps or minutes, scored greedy on whole held-out applications (dev-apps) through the shipped pipeline, sized and timed against the browser budgets; resumable (finished variants are kept, unfinished ones resume)',
    )
    .requiredOption('--config <file>', 'the base translation config (configs/translate-*.json)')
    .requiredOption(
      '--grid <file>',
      'variants: { "variants": [{ "name": "h384", "set": { "model": { "hidden": 384 } } }] }',
    )
    .requiredOption('--out <dir>', 'sweep folder: one folder per variant, sweep.json, sweep.md')
    .option(
      '--max-steps <n>',
      'training steps of every variant',
      intFlag('--max-steps', 1, 100_000_000),
    )
    .option(
      '--minutes <m>',
      'training wall-clock minutes of every variant',
      numberFlag('--minutes', { min: 0, max: 10080, minExclusive: true }),
    )
    .option('--engine <name>', 'tfjs or kernels', 'kernels')
    .option('--threads <n>', 'threads for --engine kernels, 1..64', intFlag('--threads', 1, 64))
    .option('--dev <file.tsv>', "the dev set (default: the corpus's en-<target>/dev-apps.tsv)")
    .option(
      '--dev-limit <n>',
      'score the first N dev strings only',
      intFlag('--dev-limit', 1, 10_000_000),
    )
    .option(
      '--budget-mb <mb>',
      'largest shipped model, MB',
      numberFlag('--budget-mb', { min: 0, max: 1e6, minExclusive: true }),
      12,
    )
    .option(
      '--latency-ms <ms>',
      'largest warm greedy 10-word translation, ms',
      numberFlag('--latency-ms', { min: 0, max: 1e6, minExclusive: true }),
      BUDGET_MS.greedy,
    )
    .option(
      '--test-size <n>',
      "test strings each variant's own card scores (the sweep ranks on --dev; test splits are for the model trained after it)",
      intFlag('--test-size', 1, 10_000_000),
      200,
    )
    .option('--rounds <n>', 'timed passes of bench decode, 1..100', intFlag('--rounds', 1, 100), 3)
    .option('--json', 'print only the JSON result line')
    .option('--dry-run', 'plan and price every variant, train none, write nothing');
  examples(cmd, [
    'pnpm seqlab sweep translate --config configs/translate-en-es.json --grid configs/sweeps/capacity.json --out runs/sweep-en-es --max-steps 5000 --dry-run',
    'pnpm seqlab sweep translate --config configs/translate-en-es.json --grid configs/sweeps/capacity.json --out runs/sweep-en-es --minutes 20 --threads 2',
  ]);
  cmd.action(async (o: SweepOptions) => {
    if ((o.maxSteps === undefined) === (o.minutes === undefined))
      throw new UsageError(
        'sweep translate: give exactly one of --max-steps N or --minutes M (every variant gets the same budget)',
      );
    if (!['tfjs', 'kernels'].includes(o.engine))
      throw new UsageError(`--engine: expected tfjs or kernels, got '${o.engine}'`);
    if (o.threads !== undefined && o.engine !== 'kernels')
      throw new UsageError('--threads applies to --engine kernels only');
    const { planSweep, readSweepGrid, fromRepo } = await import('@seqlab/train/node');
    const { initBackend } = await import('@seqlab/rnn');
    await initBackend('cpu');
    const say = (s: string) => {
      if (!o.json) process.stderr.write(`sweep: ${s}\n`);
    };
    // Every variant is planned and checked before any trains: a typo in the last costs nothing.
    const plan = planSweep(o.config, readSweepGrid(o.grid), o.out, { testSize: o.testSize });
    const first = plan[0] as (typeof plan)[number];
    const dev =
      o.dev ??
      path.join(fromRepo(first.parsed.corpus), `en-${first.parsed.target}`, 'dev-apps.tsv');
    if (o.dryRun) {
      const rows = plan.map((v) => ({
        name: v.name,
        set: v.set,
        params: v.params,
        weight_mb: mb(v.weightBytes),
        within_budget: v.weightBytes <= o.budgetMb * 1e6,
      }));
      if (o.json) process.stdout.write(`${JSON.stringify({ dry_run: true, variants: rows })}\n`);
      else
        for (const r of rows)
          process.stdout.write(
            `${r.name}\t${(r.params / 1e6).toFixed(2)} M parameters\t${r.weight_mb} MB\t${r.within_budget ? 'within' : `OVER ${o.budgetMb} MB: would not train`}\n`,
          );
      return;
    }
    const budget = {
      maxSteps: o.maxSteps ?? null,
      minutes: o.minutes ?? null,
      engine: o.engine,
      dev,
      devLimit: o.devLimit ?? null,
    };
    /** What a variant folder was planned for: its config and the sweep's budget. */
    const planText = (v: (typeof plan)[number]) =>
      `${JSON.stringify({ config: v.config, budget }, null, 2)}\n`;
    mkdirSync(o.out, { recursive: true });
    // A variant folder from another plan (other config, or another budget) is never reused.
    for (const v of plan) {
      const dir = path.resolve(o.out, v.name);
      const planFile = path.join(dir, 'plan.json');
      if (existsSync(planFile) && readFileSync(planFile, 'utf8') !== planText(v))
        throw new Error(
          `${planFile} holds another plan (its config or budget differ from this sweep's); nothing is overwritten: use another --out, or remove ${dir}`,
        );
    }
    const rows: SweepRow[] = [];
    for (const v of plan) {
      const dir = path.resolve(o.out, v.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'plan.json'), planText(v));
      const cfgFile = path.join(dir, 'config.json');
      writeFileSync(cfgFile, `${JSON.stringify(v.config, null, 2)}\n`);
      const resultFile = path.join(dir, 'result.json');
      if (existsSync(resultFile)) {
        say(`${v.name}: measured before (${resultFile})`);
        rows.push(JSON.parse(readFileSync(resultFile, 'utf8')) as SweepRow);
        continue;
      }
      // The BPE tokenizer depends on the corpus and the vocabulary size only, and is deterministic:
      // a variant with the same ones takes a sibling's instead of training it again.
      const runDir = fromRepo(v.parsed.runDir);
      const tokFile = path.join(runDir, 'tokenizer.json');
      const priced = v.weightBytes <= o.budgetMb * 1e6;
      if (priced && v.parsed.init === undefined && !existsSync(tokFile)) {
        const key = (p: (typeof plan)[number]) =>
          JSON.stringify([fromRepo(p.parsed.corpus), p.parsed.target, p.parsed.vocabSize]);
        const twin = plan.find(
          (u) =>
            u !== v &&
            u.parsed.init === undefined &&
            key(u) === key(v) &&
            existsSync(path.join(fromRepo(u.parsed.runDir), 'tokenizer.json')),
        );
        if (twin) {
          mkdirSync(runDir, { recursive: true });
          copyFileSync(path.join(fromRepo(twin.parsed.runDir), 'tokenizer.json'), tokFile);
          say(`${v.name}: the tokenizer of ${twin.name} (same corpus and vocabSize)`);
        }
      }
      const row = await runVariant(o, v, dir, cfgFile, runDir, fromRepo(v.parsed.out), dev, say);
      if (row.status === 'over-budget')
        writeFileSync(resultFile, `${JSON.stringify(row, null, 2)}\n`);
      rows.push(row);
    }
    const eligible = rows.filter((r) => r.status === 'done' && r.within_budget);
    const chosen = eligible.length
      ? eligible.reduce((a, b) => ((b.dev_bleu ?? 0) > (a.dev_bleu ?? 0) ? b : a)).name
      : null;
    const result = {
      config: o.config,
      grid: o.grid,
      ...budget,
      budget_mb: o.budgetMb,
      latency_ms: o.latencyMs,
      chosen,
      variants: rows,
    };
    writeFileSync(path.join(o.out, 'sweep.json'), `${JSON.stringify(result, null, 2)}\n`);
    const table = sweepTable(rows, chosen);
    writeFileSync(
      path.join(o.out, 'sweep.md'),
      `# Sweep of ${o.config} (${o.grid})\n\nBudget per variant: ${o.maxSteps !== undefined ? `${o.maxSteps} steps` : `${o.minutes} minutes`}, engine ${o.engine}${o.threads ? ` on ${o.threads} threads` : ''}. dev: ${dev}${o.devLimit ? ` (first ${o.devLimit})` : ''}, greedy, shipped pipeline. Budgets: ≤ ${o.budgetMb} MB, greedy ≤ ${o.latencyMs} ms (Node, wasm). Chosen: ${chosen ?? 'none within the budgets'}.\n\n${table}\n`,
    );
    if (o.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else process.stdout.write(`${table}\nchosen: ${chosen ?? 'none within the budgets'}\n`);
    if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
  });
}
