// Checkpoint averaging's snapshots: written and read back bit for bit, only the last N kept, later
// ones (from before a resume) dropped, damaged files named; the mean summed in float64.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { averageWeights, readSnapshot, snapshotSteps, writeSnapshot } from '../src/snapshots';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-snap-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('weight snapshots', () => {
  it('round-trips the weights and keeps only the last N', () => {
    const dir = join(tmp, 'a');
    const w = (x: number) => ({
      'dec/w': Float32Array.of(x, x + 0.5, -x),
      emb: Float32Array.of(x * 3),
    });
    for (const step of [2, 4, 6, 8]) writeSnapshot(dir, step, w(step), 3);
    expect(snapshotSteps(dir)).toEqual([4, 6, 8]);
    expect(readSnapshot(dir, 6)).toEqual(w(6));
    // Resumed from step 4's checkpoint: the snapshots after it belong to the lost part of the run.
    writeSnapshot(dir, 4, w(40), 3);
    expect(snapshotSteps(dir)).toEqual([4]);
    expect(readSnapshot(dir, 4)).toEqual(w(40));
  });

  it('names a damaged snapshot', async () => {
    const dir = join(tmp, 'b');
    writeSnapshot(dir, 2, { w: Float32Array.of(1, 2, 3) }, 2);
    const file = join(dir, 'step-2.snap');
    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, bytes.length - 4));
    expect(() => readSnapshot(dir, 2)).toThrow(
      /step-2\.snap: not a weight snapshot \(.* bytes, expected/,
    );
    await writeFile(file, 'nonsense');
    expect(() => readSnapshot(dir, 2)).toThrow(/step-2\.snap: not a weight snapshot/);
  });

  it('averages element-wise in float64, refusing sets that do not match', () => {
    expect(
      averageWeights([
        { w: Float32Array.of(1, 2) },
        { w: Float32Array.of(3, 6) },
        { w: Float32Array.of(2, 1) },
      ]),
    ).toEqual({ w: Float32Array.of(2, 3) });
    expect(() => averageWeights([{ w: Float32Array.of(1) }, { w: Float32Array.of(1, 2) }])).toThrow(
      /set 1 has 2 values for 'w', expected 1/,
    );
    expect(() => averageWeights([{ w: Float32Array.of(1) }, { v: Float32Array.of(1) }])).toThrow(
      /set 1 has no tensor for 'w'/,
    );
    expect(() => averageWeights([])).toThrow(/no weight sets/);
    // The mean of copies of one set is that set, bit for bit.
    fc.assert(
      fc.property(
        fc.array(fc.float({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.integer({ min: 1, max: 5 }),
        (xs, k) => {
          const w = Float32Array.from(xs);
          const m = averageWeights(Array.from({ length: k }, () => ({ w })));
          expect(Array.from(m.w as Float32Array).map((x) => x + 0)).toEqual(
            Array.from(w).map((x) => x + 0),
          );
        },
      ),
    );
  });
});
