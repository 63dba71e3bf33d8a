// Reliability: 100 Trainer steps keep tensor count and bytes flat; Adam and Trainer refuse use after dispose() (Seq2Seq's check: packages/seq2seq/test/reliability-memory.test.ts).
import { generate, Seq2Seq } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, TINY, useCpu } from '../../seq2seq/test/helpers';
import { Adam, ArrayBatchSource, MemoryCheckpointStore, Trainer } from '../src/index';

beforeAll(useCpu);

describe('memory', () => {
  test('100 training steps (with checkpoints every 10) leak no tensors and no bytes after warm-up', async () => {
    const model = new Seq2Seq({ ...TINY, dropout: 0.1 });
    const store = new MemoryCheckpointStore();
    const samples: { step: number; n: number; bytes: number }[] = [];
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(reverseBatches(7, 3, 6, 4, 5), { seed: 2 }),
      maxSteps: 100,
      seed: 4,
      checkpoint: { store, every: 10 },
      callbacks: {
        onStep: (e) => {
          const m = tf.memory();
          samples.push({ step: e.step, n: m.numTensors, bytes: m.numBytes });
        },
      },
    });
    const before = tf.memory();
    const paramCount = model.params.names().length;
    await trainer.run();
    expect(trainer.step).toBe(100);
    // Warm-up: Adam allocates its moments on the first step; nothing grows after that.
    const warm = samples.slice(2);
    const first = warm[0] as { n: number; bytes: number };
    for (const s of warm)
      expect({ step: s.step, n: s.n, bytes: s.bytes }).toEqual({
        step: s.step,
        n: first.n,
        bytes: first.bytes,
      });
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors - paramCount);
  });

  test('disposing a model and its trainer returns every tensor (Adam once leaked its zero-initialised moments)', async () => {
    const before = tf.memory();
    const model = new Seq2Seq(TINY);
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(reverseBatches(2, 2, 6, 3, 1)),
      maxSteps: 2,
    });
    await trainer.run();
    await generate(model, [[5, 6, 2]], { maxLen: 3 });
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });
  test('repeated resume() keeps memory flat (Adam.setState once leaked its temporaries)', async () => {
    const model = new Seq2Seq(TINY);
    const store = new MemoryCheckpointStore();
    const data = new ArrayBatchSource(reverseBatches(2, 2, 6, 3, 1));
    const trainer = new Trainer({ model, data, maxSteps: 1, checkpoint: { store } });
    await trainer.run();
    await trainer.resume();
    const before = tf.memory();
    for (let i = 0; i < 5; i++) await trainer.resume();
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    trainer.dispose();
    model.dispose();
  });
});

describe('use after dispose gives a clear error', () => {
  test('Adam', () => {
    const opt = new Adam();
    opt.dispose();
    expect(() => opt.getState()).toThrow(/Adam: used after dispose/);
  });

  test('Trainer', async () => {
    const model = new Seq2Seq(TINY);
    const store = new MemoryCheckpointStore();
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(reverseBatches(2, 2, 6, 3, 1)),
      maxSteps: 1,
      checkpoint: { store },
    });
    await trainer.run();
    trainer.dispose();
    const before = tf.memory().numTensors;
    await expect(trainer.run({ maxSteps: 2 })).rejects.toThrow(/Trainer: used after dispose/);
    await expect(trainer.save()).rejects.toThrow(/Trainer: used after dispose/);
    await expect(trainer.resume()).rejects.toThrow(/Trainer: used after dispose/);
    expect(tf.memory().numTensors).toBe(before); // the refused step allocated nothing
    model.dispose();
  });
});
