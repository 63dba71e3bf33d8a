// The gradient lab's long-dependency tasks, seeded: the adding problem and the copy task.
import { makeRng } from './seeded';

/** A batch of a synthetic task: inputs [batch, time, features] and targets, row-major. */
export interface TaskBatch {
  task: 'adding' | 'copy';
  x: Float32Array;
  /** Adding: [batch] sums. Copy: [batch, outputSteps] symbol ids. */
  y: Float32Array;
  batch: number;
  time: number;
  features: number;
  /** The last `outputSteps` steps are scored (1 for adding, the copied length for copy). */
  outputSteps: number;
}

function check(name: string, v: number, min: number): void {
  if (!Number.isInteger(v) || v < min)
    throw new Error(`${name}: expected an integer ≥ ${min}, got ${v}`);
}

/**
 * The adding problem (Hochreiter & Schmidhuber 1997): each step carries a random value in [0, 1)
 * and a marker; exactly two steps are marked, one in each half, and the target is the sum of the
 * two marked values. The answer depends on a step up to `time` steps back; predicting 1 always
 * gives a mean squared error of about 0.167, the baseline to beat.
 * @example const b = addingBatch(32, 50, 7); // b.x: [32, 50, 2], b.y: [32]
 */
export function addingBatch(batch: number, time: number, seed: number): TaskBatch {
  check('addingBatch batch', batch, 1);
  check('addingBatch time', time, 2);
  const rng = makeRng(seed);
  const x = new Float32Array(batch * time * 2);
  const y = new Float32Array(batch);
  const half = Math.floor(time / 2);
  for (let b = 0; b < batch; b++) {
    const a = Math.floor(rng() * half);
    const c = half + Math.floor(rng() * (time - half));
    for (let t = 0; t < time; t++) {
      const v = rng();
      x[(b * time + t) * 2] = v;
      if (t === a || t === c) {
        x[(b * time + t) * 2 + 1] = 1;
        y[b] = (y[b] as number) + v;
      }
    }
  }
  return { task: 'adding', x, y, batch, time, features: 2, outputSteps: 1 };
}

/**
 * The copy task: `copyLength` random symbols (one-hot over `symbols`), `delay` blank steps with a
 * go marker on the last, then `copyLength` blank steps during which the model must output the
 * symbols in order. Features: symbols + blank + go; time = 2·copyLength + delay. Guessing gives a
 * cross-entropy of ln(symbols) per output symbol.
 * @example const b = copyBatch(16, 5, 20, 8, 3); // b.x: [16, 30, 10], b.y: [16, 5]
 */
export function copyBatch(
  batch: number,
  copyLength: number,
  delay: number,
  symbols: number,
  seed: number,
): TaskBatch {
  check('copyBatch batch', batch, 1);
  check('copyBatch copyLength', copyLength, 1);
  check('copyBatch delay', delay, 1);
  check('copyBatch symbols', symbols, 2);
  const rng = makeRng(seed);
  const time = 2 * copyLength + delay;
  const features = symbols + 2;
  const x = new Float32Array(batch * time * features);
  const y = new Float32Array(batch * copyLength);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < time; t++) {
      let f = symbols; // blank
      if (t < copyLength) {
        f = Math.floor(rng() * symbols);
        y[b * copyLength + t] = f;
      } else if (t === copyLength + delay - 1) f = symbols + 1; // go
      x[(b * time + t) * features + f] = 1;
    }
  }
  return { task: 'copy', x, y, batch, time, features, outputSteps: copyLength };
}
