// The training loop both `train translate` and `train caption` share: Trainer with progress bar,
// checkpoints, resume, validation history and cumulative training time that survive restarts.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TrainableModel } from '@seqlab/seq2seq';
import { FileCheckpointStore } from './checkpoint-store';
import type { TrainConfigBase } from './config-schema';
import { trainProgress } from './progress';
import {
  averageWeights,
  readSnapshot,
  snapshotSteps,
  snapshotsDir,
  writeSnapshot,
} from './snapshots';
import { readCheckpointMeta, Trainer } from './trainer';
import type { BatchSource, TrainEngine, TrainSummary } from './trainer-types';

/** The training knobs every task config has. */
export interface LoopConfig {
  lr: number;
  clipNorm: number;
  epochs: number;
  validateEvery: number;
  checkpointEvery: number;
  patience: number;
  seed: number;
  /**
   * End with the best-validated weights (default true). false keeps the last step's: better when
   * the validation set is small and noisy and the model is still improving (e.g. on Shapes,
   * where the best-validated of 7,000 steps was step 5,000 and generalised worse than the last).
   */
  keepBest?: boolean;
  /**
   * Step schedule: after `step` steps, train at `lr` (e.g. `[{ "step": 2500, "lr": 0.0002 }]`
   * anneals the last part of a run). Applied after a resume too, so one config reproduces it.
   */
  lrDrops?: { step: number; lr: number }[];
  /**
   * Checkpoint averaging: keep the weights of the last N checkpoints (runDir/snapshots) and, at
   * the end, validate their mean; it replaces the kept weights only when it validates better.
   */
  averageLast?: number;
}

/** What checkpoint averaging found at the end of a run (see LoopConfig.averageLast). */
export interface AveragedResult {
  /** The checkpoints' steps. */
  steps: number[];
  /** The mean's validation metric. */
  metric: number;
  /** The validation metric of the weights it was compared with (the best-validated, or the last). */
  against: number | null;
  /** Whether the mean became the run's weights. */
  kept: boolean;
  /** What both were validated on, when finalValidate names it. */
  on?: string;
}

/** What every training config holds (translation and captioning), validated by its schema. */
export type { TrainConfigBase };

/**
 * How this invocation treats the run directory: `resume` continues its checkpoint; `overwrite`
 * starts again from step 0 over it. Without either, a run directory that holds a checkpoint is
 * refused (a fresh run would silently replace it).
 */
export interface RunDirFlags {
  resume?: boolean;
  overwrite?: boolean;
}

/** The checkpoint file runTraining keeps in a run directory. */
export function checkpointStore(runDir: string): FileCheckpointStore {
  return new FileCheckpointStore(path.join(runDir, 'checkpoint'));
}

/**
 * Refuse to start a run that would replace earlier work: a run directory holding a checkpoint
 * (`extraCheckpoints`: other engines' files, relative to runDir) without --resume or --overwrite,
 * both flags at once, or a model folder (`out`) that is the run directory or holds it (replacing
 * it at the end would delete the checkpoints). Cheap: call it before loading any data.
 *
 * @example await checkRunDir('runs/translate-en-es', { resume: false }, { out: 'models/translate-en-es' });
 */
export async function checkRunDir(
  runDir: string,
  flags: RunDirFlags,
  o: { out?: string; extraCheckpoints?: readonly string[] } = {},
): Promise<void> {
  if (flags.resume && flags.overwrite)
    throw new Error(
      '--resume and --overwrite exclude each other: --resume continues the checkpoint, --overwrite starts again from step 0',
    );
  const rel = o.out === undefined ? '..' : path.relative(path.resolve(o.out), path.resolve(runDir));
  if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)))
    throw new Error(
      `config: out (${o.out}) is or contains runDir (${runDir}); the model folder is replaced as a whole at the end of a run, so it must not hold the checkpoints`,
    );
  if (flags.resume || flags.overwrite) return;
  const store = checkpointStore(runDir);
  const meta = await readCheckpointMeta(store).catch(() => null);
  const found = existsSync(store.location)
    ? `${store.location}${meta ? ` (step ${meta.step})` : ''}`
    : (o.extraCheckpoints ?? []).map((f) => path.join(runDir, f)).find((f) => existsSync(f));
  if (found)
    throw new Error(
      `${runDir} holds a checkpoint: ${found}. Pass --resume to continue it, or --overwrite to train again from step 0 ` +
        '(the checkpoint is replaced at once; the model folder only when the new run ends)',
    );
}

/** The learning rate for the step after `step` completed steps (the config's `lr` before any drop). */
export function scheduledLr(cfg: Pick<LoopConfig, 'lr' | 'lrDrops'>, step: number): number {
  // The latest drop already reached (in any order; of equal steps, the one listed last).
  let lr = cfg.lr;
  let at = Number.NEGATIVE_INFINITY;
  for (const d of cfg.lrDrops ?? []) {
    if (step >= d.step && d.step >= at) {
      lr = d.lr;
      at = d.step;
    }
  }
  return lr;
}

export interface HistoryEntry {
  step: number;
  bleu: number;
}

export interface RunTrainingOptions<B> {
  model: TrainableModel<B>;
  data: BatchSource<B>;
  cfg: LoopConfig;
  runDir: string;
  totalSteps: number;
  /**
   * `resume`: continue from runDir's checkpoint; `overwrite`: start from step 0 over it (without
   * either, a checkpoint in runDir is refused, see checkRunDir); `minutes`: wall-clock budget for
   * this invocation; `lr`: learning rate from the start of this invocation (overrides the config
   * and a checkpoint's).
   */
  run: RunDirFlags & { minutes?: number; lr?: number };
  /** The model folder the caller writes at the end (checked against runDir, see checkRunDir). */
  out?: string;
  /** Validation: the metric (larger is better) and the line to log. */
  validate: (step: number) => Promise<{ metric: number; line: string }>;
  /**
   * The end-of-run choice between the run's weights and the mean of its last checkpoints
   * (averageLast) on a larger set than `validate`'s (default: `validate`). The kept weights were
   * chosen as the best on `validate`'s set, so comparing them there favours them.
   */
  finalValidate?: {
    /** What it validates on, for the card (e.g. `greedy BLEU on the whole dev-apps split`). */
    on: string;
    run: (step: number) => Promise<{ metric: number; line: string }>;
  };
  /** Run each step on this engine (e.g. @seqlab/kernels' KernelTrainStep) instead of tfjs. */
  engine?: TrainEngine<B>;
}

export interface TrainingResult {
  summary: TrainSummary;
  /** Training seconds over every run of this run dir (resumes included). */
  trainSeconds: number;
  /** Validation metric by step, resumed runs included. */
  history: HistoryEntry[];
  trainer: Trainer<unknown>;
  /** With averageLast: the mean of the last checkpoints, validated against the kept weights. */
  averaged?: AveragedResult;
}

interface HistoryFile {
  step: number;
  seconds?: number;
  history: HistoryEntry[];
}

function readHistory(file: string, upToStep: number): { seconds: number; history: HistoryEntry[] } {
  if (!existsSync(file)) return { seconds: 0, history: [] };
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as HistoryFile;
    // Written at each checkpoint, so it matches the step a resume starts from.
    return {
      seconds: h.step === upToStep && typeof h.seconds === 'number' ? h.seconds : 0,
      history: Array.isArray(h.history) ? h.history.filter((e) => e.step <= upToStep) : [],
    };
  } catch {
    return { seconds: 0, history: [] }; // a damaged history only loses the card's table
  }
}

/**
 * Trains with checkpoints every `checkpointEvery` steps in `runDir/checkpoint`, validation
 * every `validateEvery` steps with early stopping, and ends holding the best-validated weights.
 *
 * @example
 * const { summary, trainSeconds, history, trainer } = await runTraining({ model, data, cfg,
 *   runDir, totalSteps: 5000, run: { resume: true }, validate: async (s) => ({ metric, line }) });
 */
export async function runTraining<B>(o: RunTrainingOptions<B>): Promise<TrainingResult> {
  const { cfg, runDir } = o;
  const historyFile = path.join(runDir, 'history.json');
  await checkRunDir(runDir, o.run, o.out === undefined ? {} : { out: o.out });
  const store = checkpointStore(runDir);
  if (o.run.overwrite) {
    // Asked for: the old run's state goes now, so an interrupted new run never resumes the old one.
    rmSync(store.location, { force: true });
    rmSync(historyFile, { force: true });
    rmSync(snapshotsDir(runDir), { recursive: true, force: true });
  }
  let history: HistoryEntry[] = [];
  let previousSeconds = 0;
  let bar = trainProgress(o.totalSteps, 0);
  const t0 = Date.now();
  const trainer = new Trainer<B>({
    model: o.model,
    data: o.data,
    ...(o.engine ? { engine: o.engine } : {}),
    optimizer: { lr: cfg.lr },
    clipNorm: cfg.clipNorm,
    epochs: cfg.epochs,
    maxSteps: o.totalSteps,
    ...(o.run.minutes ? { deadline: Date.now() + o.run.minutes * 60_000 } : {}),
    seed: cfg.seed,
    validateEvery: cfg.validateEvery,
    earlyStopping: { patience: cfg.patience },
    keepBest: cfg.keepBest ?? true,
    validate: async (step) => {
      const { metric, line } = await o.validate(step);
      history.push({ step, bleu: metric });
      bar.log(`step ${step}: ${line}`);
      return metric;
    },
    checkpoint: { store, every: cfg.checkpointEvery },
    callbacks: {
      onStep: (e) => {
        bar.update(e.step, e);
        // The rate for the next step; a --lr override stays in force.
        if (cfg.lrDrops?.length && o.run.lr === undefined) {
          const next = scheduledLr(cfg, e.step);
          if (next !== scheduledLr(cfg, e.step - 1)) trainer.optimizer.lr = next;
        }
      },
      onNonFinite: (e) =>
        bar.log(
          `step ${e.step}: non-finite loss/gradients (loss ${e.loss}, norm ${e.gradNorm}); skipped, lr → ${e.newLr}`,
        ),
      onCheckpoint: (e) => {
        const h: HistoryFile = {
          step: e.step,
          seconds: previousSeconds + (Date.now() - t0) / 1000,
          history,
        };
        writeFileSync(historyFile, JSON.stringify(h));
        // The trainer has just copied the engine's weights into the model for the checkpoint.
        if (cfg.averageLast)
          writeSnapshot(snapshotsDir(runDir), e.step, o.model.params.read(), cfg.averageLast);
      },
    },
  });
  if (o.run.resume) {
    const ok = await trainer.resume();
    process.stderr.write(
      ok ? `resumed at step ${trainer.step}\n` : 'no checkpoint to resume from; starting fresh\n',
    );
    if (ok) ({ seconds: previousSeconds, history } = readHistory(historyFile, trainer.step));
    bar.stop();
    bar = trainProgress(o.totalSteps, trainer.step);
  }
  if (o.run.lr !== undefined) trainer.optimizer.lr = o.run.lr;
  else if (cfg.lrDrops?.length && trainer.step > 0)
    trainer.optimizer.lr = scheduledLr(cfg, trainer.step);
  const summary = await trainer.run();
  bar.stop();
  const averaged = cfg.averageLast
    ? await averageCheckpoints(o, trainer, cfg.averageLast, summary, history.at(-1))
    : undefined;
  const trainSeconds = previousSeconds + (Date.now() - t0) / 1000;
  process.stderr.write(
    `trained to step ${summary.steps} (${(trainSeconds / 60).toFixed(1)} min in all); best validation ${summary.bestMetric}` +
      `${summary.bestStep !== null ? `, its weights (step ${summary.bestStep}) kept` : ''}\n`,
  );
  return {
    summary,
    trainSeconds,
    history,
    trainer: trainer as unknown as Trainer<unknown>,
    ...(averaged ? { averaged } : {}),
  };
}

/**
 * The mean of the last `n` checkpoints' weights, validated: it replaces the model's weights (and
 * the engine's) when it validates better than what the run ended with, else they are restored.
 */
async function averageCheckpoints<B>(
  o: RunTrainingOptions<B>,
  trainer: Trainer<B>,
  n: number,
  summary: TrainSummary,
  last: HistoryEntry | undefined,
): Promise<AveragedResult | undefined> {
  const dir = snapshotsDir(o.runDir);
  const steps = snapshotSteps(dir)
    .filter((s) => s <= summary.steps)
    .slice(-n);
  if (steps.length < 2) {
    process.stderr.write(
      `averageLast ${n}: ${steps.length} checkpoint snapshot(s) in ${dir}; nothing to average\n`,
    );
    return undefined;
  }
  const mean = averageWeights(steps.map((s) => readSnapshot(dir, s)));
  const kept = o.model.params.read();
  let against: number | null;
  let before: string;
  if (o.finalValidate) {
    // Both on the larger set: the run's weights (best-validated or last) first.
    ({ metric: against, line: before } = await o.finalValidate.run(summary.steps));
  } else if (o.cfg.keepBest !== false) {
    against = summary.bestMetric;
    before = `best validation ${against}`;
  } else if (last?.step === summary.steps) {
    against = last.bleu;
    before = `last validation ${against}`;
  } else ({ metric: against, line: before } = await o.validate(summary.steps));
  trainer.setWeights(mean);
  const { metric, line } = await (o.finalValidate?.run ?? o.validate)(summary.steps);
  const better = against === null || metric > against;
  if (!better) trainer.setWeights(kept);
  process.stderr.write(
    `mean of the checkpoints at steps ${steps.join(', ')}: ${line}; the run's weights: ${before}; ${better ? 'the mean is kept' : 'the mean is not kept'}\n`,
  );
  return {
    steps,
    metric,
    against,
    kept: better,
    ...(o.finalValidate ? { on: o.finalValidate.on } : {}),
  };
}

/**
 * What a card says of checkpoint averaging: metrics (`averaged_checkpoints`, `averaged_valid`,
 * `averaged_kept`) and a line for its data section; nothing without it.
 *
 * @example
 * const a = averagedCard(result.averaged);
 * writeCard(dir, { ...info, metrics: { ...metrics, ...a.metrics }, data: [...lines, ...a.lines] });
 */
export function averagedCard(a: AveragedResult | undefined): {
  metrics: Record<string, number>;
  lines: string[];
} {
  if (!a) return { metrics: {}, lines: [] };
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    metrics: {
      averaged_checkpoints: a.steps.length,
      averaged_valid: r(a.metric),
      averaged_kept: a.kept ? 1 : 0,
    },
    lines: [
      `Checkpoint averaging (config averageLast): the mean of the weights at steps ${a.steps.join(', ')} validated ${r(a.metric)} against ${a.against === null ? 'no earlier validation' : r(a.against)} for the run’s own weights${a.on ? ` (${a.on})` : ''}${a.kept ? '; these weights are that mean' : '; not kept, these weights are the run’s own'}.`,
    ],
  };
}
