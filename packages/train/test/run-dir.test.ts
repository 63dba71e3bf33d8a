// Issue 16, class 3: a run never replaces earlier work by accident — a checkpoint in the run dir
// needs --resume or --overwrite (checkRunDir, also inside runTraining), and a model folder is
// replaced only as a whole, at the end (writeModelFolder: temp folder + rename).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '@seqlab/rnn';
import { Seq2Seq } from '@seqlab/seq2seq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayBatchSource } from '../src/index';
import { writeModelFolder } from '../src/model-folder';
import { checkRunDir, type LoopConfig, type RunDirFlags, runTraining } from '../src/run';
import { RUN_LOOP_MODEL } from './fixtures';

let tmp = '';
beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-rundir-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let n = 0;
/** A run dir holding a checkpoint file (content irrelevant: only its presence counts). */
async function runDirWithCheckpoint(file = join('checkpoint', 'checkpoint.sqck')): Promise<string> {
  const dir = join(tmp, `run${n++}`);
  await mkdir(join(dir, 'checkpoint'), { recursive: true });
  await writeFile(join(dir, file), 'earlier work');
  return dir;
}

describe('checkRunDir (flags × run-dir states)', () => {
  const flags: [string, RunDirFlags, 'ok' | RegExp][] = [
    [
      'no flag',
      {},
      /holds a checkpoint: .*checkpoint\.sqck\. Pass --resume to continue it, or --overwrite/,
    ],
    ['resume: false', { resume: false, overwrite: false }, /holds a checkpoint/],
    ['--resume', { resume: true }, 'ok'],
    ['--overwrite', { overwrite: true }, 'ok'],
    ['both', { resume: true, overwrite: true }, /--resume and --overwrite exclude each other/],
  ];
  for (const [what, f, want] of flags) {
    it(`a run dir with a checkpoint, ${what}: ${want === 'ok' ? 'allowed' : 'refused'}`, async () => {
      const dir = await runDirWithCheckpoint();
      const p = checkRunDir(dir, f, { out: join(tmp, 'out') });
      if (want === 'ok') await expect(p).resolves.toBeUndefined();
      else await expect(p).rejects.toThrow(want);
      expect(await readFile(join(dir, 'checkpoint', 'checkpoint.sqck'), 'utf8')).toBe(
        'earlier work',
      );
    });
    it(`an empty or missing run dir, ${what}: ${f.resume && f.overwrite ? 'refused' : 'allowed'}`, async () => {
      const p = checkRunDir(join(tmp, `none${n++}`), f);
      if (f.resume && f.overwrite) await expect(p).rejects.toThrow(/exclude each other/);
      else await expect(p).resolves.toBeUndefined();
    });
  }
  it("another engine's checkpoint counts too (torch: checkpoint.pt)", async () => {
    const dir = await runDirWithCheckpoint('checkpoint.pt');
    await expect(checkRunDir(dir, {})).resolves.toBeUndefined();
    await expect(checkRunDir(dir, {}, { extraCheckpoints: ['checkpoint.pt'] })).rejects.toThrow(
      /holds a checkpoint: .*checkpoint\.pt/,
    );
  });
  it('a model folder that is or holds the run dir is refused (replacing it would delete the checkpoints)', async () => {
    const out = join(tmp, 'same');
    await expect(checkRunDir(out, { resume: true }, { out })).rejects.toThrow(
      /is or contains runDir/,
    );
    await expect(checkRunDir(join(out, 'run'), {}, { out })).rejects.toThrow(
      /is or contains runDir/,
    );
    await expect(checkRunDir(join(tmp, 'same-run'), {}, { out })).resolves.toBeUndefined();
  });
});

const loop: LoopConfig = {
  lr: 0.05,
  clipNorm: 5,
  epochs: 10,
  validateEvery: 2,
  checkpointEvery: 2,
  patience: 10,
  seed: 1,
};

async function train(runDir: string, run: RunDirFlags) {
  const model = new Seq2Seq(RUN_LOOP_MODEL);
  try {
    const r = await runTraining({
      model,
      data: new ArrayBatchSource([{ src: [[5, 6, 2]], tgt: [[6, 5, 2]] }], { seed: 1 }),
      cfg: loop,
      runDir,
      totalSteps: 2,
      run,
      validate: async () => ({ metric: 1, line: 'ok' }),
    });
    r.trainer.dispose();
    return r.summary.steps;
  } finally {
    model.dispose();
  }
}

describe('runTraining', () => {
  it('refuses a run dir with a checkpoint; --overwrite starts from step 0 and replaces it', async () => {
    const dir = join(tmp, 'loop');
    expect(await train(dir, {})).toBe(2);
    const ckpt = join(dir, 'checkpoint', 'checkpoint.sqck');
    const first = await readFile(ckpt);
    await expect(train(dir, {})).rejects.toThrow(/holds a checkpoint: .*\(step 2\)/);
    expect(await readFile(ckpt)).toEqual(first);
    expect(await train(dir, { resume: true })).toBe(2); // already at step 2: nothing to do
    await writeFile(join(dir, 'history.json'), '{"step":2,"history":[{"step":2,"bleu":9}]}');
    expect(await train(dir, { overwrite: true })).toBe(2);
    expect(JSON.parse(await readFile(join(dir, 'history.json'), 'utf8')).history).toEqual([
      { step: 2, bleu: 1 },
    ]);
  });
});

describe('writeModelFolder', () => {
  const listing = async (d: string) => (await readdir(d)).sort();
  const siblings = async () => (await readdir(tmp)).filter((f) => /\.(partial|old)-\d+$/.test(f));

  it('writes a new folder, then replaces it as a whole (stale files go), leaving no temp folders', async () => {
    const out = join(tmp, 'model');
    await writeModelFolder(out, async (d) => {
      await writeFile(join(d, 'model.json'), 'v1');
      await writeFile(join(d, 'group1-aaaa-shard1of1.bin'), 'w1');
    });
    expect(await listing(out)).toEqual(['group1-aaaa-shard1of1.bin', 'model.json']);
    await writeModelFolder(out, async (d) => {
      await writeFile(join(d, 'model.json'), 'v2');
      await writeFile(join(d, 'group1-bbbb-shard1of1.bin'), 'w2');
    });
    expect(await listing(out)).toEqual(['group1-bbbb-shard1of1.bin', 'model.json']);
    expect(await readFile(join(out, 'model.json'), 'utf8')).toBe('v2');
    expect(await siblings()).toEqual([]);
  });

  for (const when of ['before any file', 'after some files'])
    it(`a failure ${when} leaves the old folder byte for byte and no temp folder`, async () => {
      const out = join(tmp, `keep-${when.replaceAll(' ', '-')}`);
      await writeModelFolder(out, async (d) => writeFile(join(d, 'model.json'), 'good'));
      await expect(
        writeModelFolder(out, async (d) => {
          if (when === 'after some files') await writeFile(join(d, 'model.json'), 'half');
          throw new Error('disk full');
        }),
      ).rejects.toThrow(
        /writing it failed \(disk full\); the previous folder, if any, is left intact/,
      );
      expect(await listing(out)).toEqual(['model.json']);
      expect(await readFile(join(out, 'model.json'), 'utf8')).toBe('good');
      expect(await siblings()).toEqual([]);
    });

  it('a file where the folder should be is refused before anything is written', async () => {
    const out = join(tmp, 'a-file');
    await writeFile(out, 'not a folder');
    let called = false;
    await expect(
      writeModelFolder(out, async () => {
        called = true;
      }),
    ).rejects.toThrow(/exists and is not a directory/);
    expect(called).toBe(false);
    expect(existsSync(`${out}.partial-${process.pid}`)).toBe(false);
  });
});
