// Reliability: 100 Trainer steps on a CaptionModel keep tensors and bytes flat after warm-up.
import { type CaptionBatch, CaptionModel } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayBatchSource, MemoryCheckpointStore, Trainer } from '../src/index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function expectFlat(samples: { numTensors: number; numBytes: number }[]): void {
  const first = samples[0];
  const bad = samples.findIndex(
    (s) => s.numTensors !== first?.numTensors || s.numBytes !== first?.numBytes,
  );
  expect(bad === -1 ? null : { call: bad, ...samples[bad], first }).toBeNull();
}

describe('training memory', () => {
  it('100 Trainer steps on a CaptionModel leave tensors and bytes flat after warm-up', async () => {
    const before = tf.memory().numTensors;
    const model = new CaptionModel({
      vocab: 8,
      channels: [4, 6],
      strides: [2, 2],
      embDim: 6,
      hidden: 8,
      attentionDim: 6,
      maxLen: 4,
      imageSize: 8,
      seed: 2,
    });
    const batches: CaptionBatch[] = [0, 1, 2].map((k) => ({
      images: new Float32Array(2 * 8 * 8 * 3).fill(k / 3),
      count: 2,
      captions: [
        [4 + k, 2],
        [5, 6, 2],
      ],
    }));
    const samples: { numTensors: number; numBytes: number }[] = [];
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(batches, { seed: 1 }),
      maxSteps: 100,
      checkpoint: { store: new MemoryCheckpointStore(), every: 25 },
      callbacks: {
        onStep: () =>
          samples.push({ numTensors: tf.memory().numTensors, numBytes: tf.memory().numBytes }),
      },
    });
    const summary = await trainer.run();
    expect(summary.steps).toBe(100);
    expect(Number.isFinite(summary.lastLoss)).toBe(true);
    expectFlat(samples.slice(1)); // step 1 creates Adam's moment vectors
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
