// Progress bars with ETA on stderr (cli-progress), drawn only for a person at a terminal.
import cliProgress from 'cli-progress';
import type { Command } from 'commander';

/** The stream a bar draws on: stderr, or a test's stand-in. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressOptions {
  /** --quiet: no bar at all. */
  quiet?: boolean;
  /** Default process.stderr; stdout is never used, so pipes carry results only. */
  stream?: ProgressStream;
  /** 'count' shows value/total; 'bytes' shows the percentage (for model loading). */
  unit?: 'count' | 'bytes';
}

/** A bar over a task of known size; every method is a no-op where no bar is drawn. */
export interface Progress {
  /** Move to `value` of `total` (the first call starts the bar); `label` names the current part. */
  update(value: number, total: number, label?: string): void;
  /** A line above the bar (warnings): the bar is redrawn under it. */
  log(line: string): void;
  /** Remove the bar (it leaves no line behind). */
  stop(): void;
}

/** Whether to draw a bar: only on a terminal (not a pipe, a file or CI logs) and not with --quiet. */
export function showProgress(opts: ProgressOptions = {}): boolean {
  const stream = opts.stream ?? process.stderr;
  return opts.quiet !== true && stream.isTTY === true;
}

/**
 * A progress bar named `name` (e.g. 'eval', 'load translate-en-es'), or a silent stand-in.
 *
 * @example
 * const bar = progress('eval', { quiet: o.quiet });
 * for (const [i, p] of pairs.entries()) { …; bar.update(i + 1, pairs.length); }
 * bar.stop();
 */
export function progress(name: string, opts: ProgressOptions = {}): Progress {
  if (!showProgress(opts)) return { update() {}, log() {}, stop() {} };
  const stream = opts.stream ?? process.stderr;
  const amount = opts.unit === 'bytes' ? '{percentage}%' : '{value}/{total}';
  const bar = new cliProgress.SingleBar(
    {
      format: `${name} |{bar}| ${amount} | ETA {eta_formatted}{label}`,
      stream,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let running = false;
  let last = { value: 0, total: 1, label: '' };
  return {
    update(value, total, label) {
      last = { value, total, label: label ? ` | ${label}` : '' };
      if (!running) {
        bar.start(total, value, { label: last.label });
        running = true;
        return;
      }
      if (bar.getTotal() !== total) bar.setTotal(total);
      bar.update(value, { label: last.label });
    },
    log(line) {
      if (running) bar.stop();
      stream.write(`${line}\n`);
      if (running) bar.start(last.total, last.value, { label: last.label });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** Adds `--quiet` (no progress bars) to a command that draws them. */
export function quietOption(cmd: Command): Command {
  return cmd.option('--quiet', 'no progress bars on stderr (they are drawn only on a terminal)');
}

/** A bar for load()'s onProgress (bytes of model files read); stop it once load() returns. */
export function loadingBar(
  model: string,
  quiet: boolean | undefined,
): { onProgress: (p: { loadedBytes: number; totalBytes: number }) => void; stop(): void } {
  const bar = progress(`load ${model}`, { quiet: quiet === true, unit: 'bytes' });
  return {
    onProgress: (p) => bar.update(p.loadedBytes, Math.max(1, p.totalBytes, p.loadedBytes)),
    stop: () => bar.stop(),
  };
}
