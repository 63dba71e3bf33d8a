// Reliability: training killed with SIGKILL at seeded random moments resumes to bit-identical final weights.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '@seqlab/text';
import { decodeCheckpoint } from '@seqlab/train';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..');
const script = join(cli, 'test', 'fixtures', 'train-tiny.ts');
const STEPS = 40;
const EVERY = 5;

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-sigkill-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Run {
  resumedFrom: number;
  lastStep: number;
  killed: boolean;
  code: number | null;
  stderr: string;
}

/** Run the fixture; when `killAt` is set, SIGKILL it as soon as it reports that step. */
function train(dir: string, killAt?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // `node --import tsx` rather than the tsx binary: the binary runs the script in a child process,
    // so a SIGKILL would hit the wrapper and leave the trainer running as an orphan.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', script, dir, String(STEPS), String(EVERY)],
      {
        cwd: cli,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const run: Run = { resumedFrom: -1, lastStep: -1, killed: false, code: null, stderr: '' };
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        const [word, num] = line.split(' ');
        if (word === 'resumed') run.resumedFrom = Number(num);
        if (word === 'step') run.lastStep = Number(num);
        if (killAt !== undefined && run.lastStep >= killAt && !run.killed) {
          run.killed = true;
          child.kill('SIGKILL');
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      run.stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      run.code = code;
      resolve(run);
    });
  });
}

/** Parameters and Adam moments of the final checkpoint, by name. */
async function finalState(dir: string) {
  // A Node Buffer on purpose: decodeCheckpoint once read Buffers' floats from the wrong offset.
  const c = decodeCheckpoint(await readFile(join(dir, 'checkpoint.sqck')), dir);
  return { step: c.meta.step, rng: c.meta.rng, tensors: c.tensors };
}

describe('SIGKILL during training', () => {
  it('resumes after 3 random kills and ends bit-identical to an uninterrupted run, losing ≤ one interval', async () => {
    const ref = join(tmp, 'ref');
    const straight = await train(ref);
    expect(straight, straight.stderr).toMatchObject({ code: 0, resumedFrom: 0, lastStep: STEPS });

    const dir = join(tmp, 'killed');
    const rng = new Rng(2026);
    // Kill moments spread over the run; landing on a multiple of EVERY hits the checkpoint write itself.
    const killAts = [1 + rng.int(12), EVERY * (3 + rng.int(2)), 25 + rng.int(12)];
    const runs: Run[] = [];
    for (const killAt of killAts) {
      const r = await train(dir, killAt);
      runs.push(r);
      expect(r.killed, r.stderr).toBe(true);
      expect(r.code).not.toBe(0);
    }
    const last = await train(dir);
    runs.push(last);
    expect(last.code, last.stderr).toBe(0);
    expect(last.lastStep).toBe(STEPS);
    for (let i = 1; i < runs.length; i++) {
      const prev = runs[i - 1] as Run;
      const cur = runs[i] as Run;
      // At most one checkpoint interval of work is lost, and resumes land on checkpoint boundaries.
      expect(cur.resumedFrom).toBeGreaterThanOrEqual(prev.lastStep - EVERY);
      expect(cur.resumedFrom % EVERY).toBe(0);
    }
    expect(runs[0]?.resumedFrom).toBe(0);

    const a = await finalState(ref);
    const b = await finalState(dir);
    expect(b.step).toBe(STEPS);
    expect(b.rng).toEqual(a.rng);
    expect(Object.keys(b.tensors).sort()).toEqual(Object.keys(a.tensors).sort());
    // cpu backend, same kernels, same order of operations: exact equality, no tolerance needed.
    for (const [name, t] of Object.entries(a.tensors)) {
      expect(
        Buffer.from((b.tensors[name] as { data: Float32Array }).data.buffer).equals(
          Buffer.from(t.data.buffer),
        ),
        name,
      ).toBe(true);
    }
    console.log(
      `sigkill: killed at steps ${runs
        .slice(0, 3)
        .map((r) => r.lastStep)
        .join(', ')}; resumed from ${runs
        .slice(1)
        .map((r) => r.resumedFrom)
        .join(', ')}`,
    );
  }, 120_000);
});
