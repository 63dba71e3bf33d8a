// The adding problem: the gradient lab's long-dependency task, seeded.
import { makeRng } from './seeded';

/** A batch of a synthetic task: inputs [batch, time, features] and targets, row-major. */
export interface TaskBatch {
  x: Float32Array;
  /** Targets [batch]: the sums. */
  y: Float32Array;
  batch: number;
  time: number;
  features: number;
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
  return { x, y, batch, time, features: 2 };
}
