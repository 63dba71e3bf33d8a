// Decoder without input feeding (parallel teacher forcing): trains the reverse task, no tensor leaks per step.
import { generate, Seq2Seq } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, TINY, useCpu } from '../../seq2seq/test/helpers';
import { ArrayBatchSource, Trainer } from '../src/index';

beforeAll(useCpu);

describe('decoder without input feeding (parallel teacher forcing)', () => {
  test('trains the reverse task and leaks no tensors per step', async () => {
    const m = new Seq2Seq({
      ...TINY,
      srcVocab: 10,
      tgtVocab: 10,
      hidden: 24,
      embDim: 12,
      encoderHidden: 12,
      attention: 'dot',
      inputFeeding: false,
    });
    const batches = reverseBatches(40, 16, 6, 4, 5);
    const trainer = new Trainer({
      model: m,
      data: new ArrayBatchSource(batches, { seed: 1 }),
      optimizer: { lr: 0.02 },
      clipNorm: 5,
      epochs: 6,
    });
    await trainer.run({ maxSteps: 3 });
    const before = tf.memory().numTensors;
    const summary = await trainer.run();
    expect(tf.memory().numTensors).toBe(before);
    expect(summary.lastLoss).toBeLessThan(0.8);
    const out = (
      await generate(m, [
        [4, 5, 6, 2],
        [9, 8, 2],
      ])
    ).map((h) => h[0]?.tokens);
    expect(out).toEqual([
      [6, 5, 4],
      [8, 9],
    ]);
    trainer.dispose();
    m.dispose();
  });
});
