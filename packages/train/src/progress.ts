// Training progress bar (cli-progress): step, loss, tokens/s and ETA on one line; plain lines when not a TTY.
import cliProgress from 'cli-progress';

export interface TrainProgress {
  update(step: number, values: { loss: number; tokensPerSec: number; lr: number }): void;
  log(line: string): void;
  stop(): void;
}

/** A progress bar over `total` steps that starts at `start` (resumed runs). */
export function trainProgress(total: number, start: number): TrainProgress {
  const tty = Boolean(process.stderr.isTTY);
  if (!tty) {
    let last = 0;
    const t0 = Date.now();
    return {
      update(step, v) {
        // One line every ~20 s keeps logs readable when piped to a file.
        if (Date.now() - last < 20_000 && step !== total) return;
        last = Date.now();
        const rate = (step - start) / Math.max(1e-9, (Date.now() - t0) / 1000);
        const eta = rate > 0 ? Math.round((total - step) / rate) : 0;
        process.stderr.write(
          `step ${step}/${total} loss ${v.loss.toFixed(3)} ${Math.round(v.tokensPerSec)} tok/s lr ${v.lr.toExponential(2)} eta ${eta}s\n`,
        );
      },
      log: (line) => process.stderr.write(`${line}\n`),
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format:
        'train |{bar}| {value}/{total} | loss {loss} | {tps} tok/s | lr {lr} | ETA {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, start, { loss: '-', tps: '-', lr: '-' });
  return {
    update(step, v) {
      bar.update(step, {
        loss: v.loss.toFixed(3),
        tps: Math.round(v.tokensPerSec),
        lr: v.lr.toExponential(2),
      });
    },
    log(line) {
      bar.stop();
      process.stderr.write(`${line}\n`);
      bar.start(total, Math.max(start, 0), {});
    },
    stop: () => bar.stop(),
  };
}
