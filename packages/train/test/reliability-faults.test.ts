// Reliability: checkpoint contents and atomicity, disk full / unwritable paths, NaN/Inf batches during training.
import { existsSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  loadSeq2Seq,
  Seq2Seq,
  type Seq2SeqBatch,
  saveSeq2Seq,
  type TrainableModel,
} from '@seqlab/seq2seq';
import { atomicWrite, fileHandler } from '@seqlab/seq2seq/node';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, TINY, useCpu } from '../../seq2seq/test/helpers';
import {
  ArrayBatchSource,
  decodeCheckpoint,
  type NonFiniteEvent,
  readCheckpointMeta,
  Trainer,
} from '../src/index';
import { FileCheckpointStore } from '../src/node';

let tmp = '';
beforeAll(async () => {
  await useCpu();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'seq2seq-rel-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

async function trainedInto(dir: string, steps: number) {
  const model = new Seq2Seq({ ...TINY, dropout: 0.2 });
  const data = new ArrayBatchSource(reverseBatches(3, 2, 6, 3, 9), { seed: 5 });
  const store = new FileCheckpointStore(dir);
  const trainer = new Trainer({
    model,
    data,
    maxSteps: steps,
    seed: 77,
    checkpoint: { store, every: 2 },
  });
  await trainer.run();
  return { model, data, store, trainer };
}

describe('checkpoint contents', () => {
  test('weights, Adam moments, iterations, data position, RNG state and counters are all stored', async () => {
    const { model, store, trainer } = await trainedInto(path.join(tmp, 'contents'), 5);
    const meta = await readCheckpointMeta(store);
    expect(meta).toMatchObject({ step: 5, epoch: 1, dataPosition: { epoch: 1, index: 2 } });
    expect(meta?.optimizer.iterations).toBe(5);
    expect(meta?.optimizer.config.lr).toBe(trainer.optimizer.lr);
    expect(typeof meta?.rng.s).toBe('number');
    expect(meta?.config).toEqual(model.config);
    const ckpt = decodeCheckpoint((await store.load()) as Uint8Array, store.location);
    const names = model.params.names();
    const adam = trainer.optimizer.getState();
    const weights = model.params.read();
    for (const n of names) {
      expect(ckpt.tensors[`param/${n}`]?.data, n).toEqual(weights[n]);
      expect(ckpt.tensors[`adam_m/${n}`]?.data, n).toEqual(adam.m[n]);
      expect(ckpt.tensors[`adam_v/${n}`]?.data, n).toEqual(adam.v[n]);
    }
    expect(Object.keys(ckpt.tensors)).toHaveLength(3 * names.length);
    // The stored RNG state is the live one: the next dropout seed after resume is the same.
    const fresh = new Trainer({ model, data: new ArrayBatchSource(reverseBatches(3, 2, 6, 3, 9)) });
    await fresh.resume(store);
    expect(fresh.checkpointData().meta.rng).toEqual(trainer.checkpointData().meta.rng);
    for (const t of [trainer, fresh]) t.dispose();
    model.dispose();
  });

  test('a checkpoint read as a Node Buffer decodes to the same tensors (Buffer.slice is a view)', async () => {
    const { model, store, trainer } = await trainedInto(path.join(tmp, 'buffer'), 2);
    const fromStore = decodeCheckpoint((await store.load()) as Uint8Array);
    const fromBuffer = decodeCheckpoint(await fs.readFile(store.location));
    expect(fromBuffer.tensors).toEqual(fromStore.tensors);
    trainer.dispose();
    model.dispose();
  });

  test('readers never see a partial file while checkpoints are being replaced (temp + rename)', async () => {
    const dir = path.join(tmp, 'atomic');
    const file = path.join(dir, 'big.bin');
    await fs.mkdir(dir, { recursive: true });
    const versions = [1, 2, 3, 4].map((v) => new Uint8Array(4 << 20).fill(v)); // 4 MiB each
    await atomicWrite(file, versions[0] as Uint8Array);
    let writing = true;
    const reads: number[] = [];
    const reader = (async () => {
      while (writing) {
        const b = await fs.readFile(file);
        // A torn read would be short or mix two fill values.
        expect(b.length).toBe(4 << 20);
        expect(b[b.length - 1]).toBe(b[0]);
        reads.push(b[0] as number);
      }
    })();
    for (const v of versions.slice(1)) await atomicWrite(file, v);
    writing = false;
    await reader;
    expect(reads.length).toBeGreaterThan(0);
    expect(await fs.readdir(dir)).toEqual(['big.bin']); // no temp file left behind
  });
});

describe('unwritable output', () => {
  test('disk full (ENOSPC): clear error naming the path, previous checkpoint intact, no temp file', async () => {
    const dir = path.join(tmp, 'full');
    const { model, store, trainer } = await trainedInto(dir, 2);
    const good = await store.load();
    // The temp file is a symlink to /dev/full, so the real write path hits ENOSPC.
    const tmpName = path.join(dir, `.checkpoint.sqck.tmp-${process.pid}`);
    await fs.symlink('/dev/full', tmpName);
    await expect(trainer.run({ maxSteps: 4 })).rejects.toThrow(
      new RegExp(`checkpoint: could not write ${store.location.replace(/[.]/g, '\\.')} \\(ENOSPC`),
    );
    expect(await store.load()).toEqual(good);
    expect(existsSync(tmpName)).toBe(false);
    expect(await fs.readdir(dir)).toEqual(['checkpoint.sqck']);
    expect((await readCheckpointMeta(store))?.step).toBe(2);
    trainer.dispose();
    model.dispose();
  });

  test('a directory whose parent is a regular file (ENOTDIR) fails clearly for checkpoints and model saves', async () => {
    const file = path.join(tmp, 'regular-file');
    await fs.writeFile(file, 'not a directory');
    const store = new FileCheckpointStore(path.join(file, 'run'));
    await expect(store.save(new Uint8Array([1, 2]))).rejects.toThrow(
      /regular-file\/run \((ENOTDIR|EEXIST)/,
    );
    expect(await store.load().catch((e: Error) => e.message)).toMatch(/ENOTDIR|null/);
    const model = new Seq2Seq(TINY);
    await expect(saveSeq2Seq(model, fileHandler(path.join(file, 'model')))).rejects.toThrow(
      /save: cannot create directory .*regular-file\/model \((ENOTDIR|EEXIST)/,
    );
    model.dispose();
    expect(await fs.readFile(file, 'utf8')).toBe('not a directory');
  });

  test('a model save that fails half-way keeps the previous model loadable', async () => {
    const dir = path.join(tmp, 'model');
    const model = new Seq2Seq({ ...TINY, seed: 8 });
    await saveSeq2Seq(model, fileHandler(dir));
    const before = await fs.readFile(path.join(dir, 'model.json'), 'utf8');
    const other = new Seq2Seq({ ...TINY, seed: 9 });
    await fs.symlink('/dev/full', path.join(dir, `.model.json.tmp-${process.pid}`));
    await expect(saveSeq2Seq(other, fileHandler(dir))).rejects.toThrow(/model\.json \(ENOSPC/);
    expect(await fs.readFile(path.join(dir, 'model.json'), 'utf8')).toBe(before);
    const { model: loaded } = await loadSeq2Seq(fileHandler(dir));
    expect(loaded.params.read()).toEqual(model.params.read());
    for (const m of [model, other, loaded]) m.dispose();
  });
});

describe('corrupt model configs', () => {
  test('a config asking for ~10^12 weights is refused from the loaded byte count, before allocating', async () => {
    let saved: tf.io.ModelArtifacts | null = null;
    const model = new Seq2Seq(TINY);
    await saveSeq2Seq(
      model,
      tf.io.withSaveHandler(async (a) => {
        saved = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    model.dispose();
    const a = saved as unknown as tf.io.ModelArtifacts;
    (a.modelTopology as { config: { hidden: number } }).config.hidden = 1_000_000;
    const before = tf.memory().numTensors;
    await expect(loadSeq2Seq(tf.io.fromMemory(a), 'huge/model.json')).rejects.toThrow(
      /huge\/model\.json: weight data is \d+ bytes, too small for this config \(it needs at least 4\d{12} weight values\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('non-finite loss or gradients during training', () => {
  test('poisoned batches are skipped, reported via onNonFinite, lower the lr, and training recovers', async () => {
    const model = new Seq2Seq(TINY);
    const clean = reverseBatches(4, 3, 6, 3, 12);
    // Batches whose first source token is 99 poison the loss (NaN) or only the gradients (Inf).
    const poison = (b: Seq2SeqBatch, kind: number): Seq2SeqBatch => ({
      src: [[kind, ...(b.src[0] ?? [])], ...b.src.slice(1)],
      tgt: b.tgt,
    });
    const batches = [
      clean[0],
      poison(clean[1] as Seq2SeqBatch, 99),
      clean[2],
      poison(clean[3] as Seq2SeqBatch, 98),
    ] as Seq2SeqBatch[];
    const wrapped: TrainableModel<Seq2SeqBatch> = {
      params: model.params,
      config: model.config,
      countTokens: (b) => model.countTokens(b),
      dispose: () => model.dispose(),
      loss: (b, o) => {
        const kind = b.src[0]?.[0];
        const real =
          kind === 99 || kind === 98
            ? { src: [(b.src[0] as number[]).slice(1), ...b.src.slice(1)], tgt: b.tgt }
            : b;
        return tf.tidy(() => {
          const l = model.loss(real, o);
          if (kind === 99) return tf.mul(l, Number.NaN) as tf.Scalar;
          // sqrt'(0) = Inf: a finite loss with infinite gradients.
          if (kind === 98)
            return tf.add(
              l,
              tf.sqrt(tf.mul(tf.sum(model.params.get('decoder/out/bias')), 0)),
            ) as tf.Scalar;
          return l;
        });
      },
    };
    const events: NonFiniteEvent[] = [];
    const snapshots = new Map<number, Record<string, Float32Array>>();
    const trainer = new Trainer({
      model: wrapped,
      data: new ArrayBatchSource(batches, { shuffle: false }),
      maxSteps: 8,
      optimizer: { lr: 0.02 },
      callbacks: {
        onNonFinite: (e) => events.push(e),
        onStep: (e) => snapshots.set(e.step, model.params.read()),
      },
    });
    const before = tf.memory().numTensors;
    const summary = await trainer.run();
    expect(events.map((e) => e.step)).toEqual([2, 4, 6, 8]);
    expect(events.map((e) => e.newLr)).toEqual([0.01, 0.005, 0.0025, 0.00125]);
    expect(Number.isNaN(events[0]?.loss)).toBe(true);
    expect(Number.isFinite(events[1]?.loss)).toBe(true); // finite loss, infinite gradients
    expect(Number.isFinite(events[1]?.gradNorm)).toBe(false);
    expect(summary.skippedSteps).toBe(4);
    expect(Number.isFinite(summary.lastLoss)).toBe(true);
    expect(trainer.optimizer.iterations).toBe(4);
    // A skipped step leaves every weight untouched.
    for (const s of [2, 4]) expect(snapshots.get(s)).toEqual(snapshots.get(s - 1));
    for (const w of Object.values(model.params.read())) expect(w.every(Number.isFinite)).toBe(true);
    const trainable = model.params.entries().filter(([, p]) => p.trainable).length;
    expect(tf.memory().numTensors).toBe(before + 2 * trainable); // + Adam's two moments per parameter
    trainer.dispose();
    model.dispose();
  });
});
