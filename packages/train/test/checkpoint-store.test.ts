// Node FileCheckpointStore: atomic replacement, clear errors, previous checkpoint intact after a failed write.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Seq2Seq } from '@seqlab/seq2seq';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, TINY, useCpu } from '../../seq2seq/test/helpers';
import { ArrayBatchSource, Trainer } from '../src/index';
import { FileCheckpointStore } from '../src/node';

let tmp = '';
beforeAll(async () => {
  await useCpu();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'seq2seq-ckpt-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('FileCheckpointStore', () => {
  test('load() is null before the first save; saves replace the file and leave no temp files', async () => {
    const store = new FileCheckpointStore(path.join(tmp, 'a', 'b'));
    expect(await store.load()).toBeNull();
    await store.save(new Uint8Array([1, 2, 3]));
    await store.save(new Uint8Array([4, 5]));
    expect(Array.from((await store.load()) as Uint8Array)).toEqual([4, 5]);
    expect(await fs.readdir(path.join(tmp, 'a', 'b'))).toEqual(['checkpoint.sqck']);
  });

  test('an unusable directory gives a clear error', async () => {
    const file = path.join(tmp, 'plain-file');
    await fs.writeFile(file, 'x');
    const store = new FileCheckpointStore(path.join(file, 'sub'));
    await expect(store.save(new Uint8Array([1]))).rejects.toThrow(
      /checkpoint: cannot create directory .*plain-file\/sub \((ENOTDIR|EEXIST)/,
    );
  });

  test('a failed write keeps the previous checkpoint intact and trainable', async () => {
    const dir = path.join(tmp, 'run');
    const store = new FileCheckpointStore(dir);
    const model = new Seq2Seq(TINY);
    const data = new ArrayBatchSource(reverseBatches(2, 2, 6, 3, 1));
    const trainer = new Trainer({ model, data, maxSteps: 2, checkpoint: { store } });
    await trainer.run();
    const good = await store.load();
    // Block the temp file's path with a non-empty directory so open() fails mid-save.
    const blocker = path.join(dir, `.checkpoint.sqck.tmp-${process.pid}`);
    await fs.mkdir(blocker);
    await fs.writeFile(path.join(blocker, 'x'), 'x');
    await expect(trainer.run({ maxSteps: 3 })).rejects.toThrow(
      /checkpoint: could not write .*checkpoint.sqck \(EISDIR.*previous file, if any, is left intact/,
    );
    expect(await store.load()).toEqual(good);
    await fs.rm(blocker, { recursive: true });
    const fresh = new Trainer({ model, data, maxSteps: 3 });
    expect(await fresh.resume(store)).toBe(true);
    expect(fresh.step).toBe(2);
    for (const t of [trainer, fresh]) t.dispose();
    model.dispose();
  });
});
