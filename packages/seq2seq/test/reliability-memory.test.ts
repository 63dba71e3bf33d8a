// Reliability: a disposed Seq2Seq refuses use (the Trainer's memory and dispose checks: packages/train/test/reliability-memory.test.ts).
import { beforeAll, describe, expect, test } from 'vitest';
import { generate, Seq2Seq } from '../src/index';
import { TINY, useCpu } from './helpers';

beforeAll(useCpu);

describe('use after dispose gives a clear error', () => {
  test('Seq2Seq', async () => {
    const model = new Seq2Seq(TINY);
    model.dispose();
    model.dispose(); // idempotent
    expect(model.isDisposed).toBe(true);
    await expect(generate(model, [[5, 2]])).rejects.toThrow(/Seq2Seq: model used after dispose/);
    await expect(generate(model, [[5, 2]], { beam: 2 })).rejects.toThrow(
      /Seq2Seq: model used after dispose/,
    );
    expect(() =>
      model.loss({ src: [[5, 2]], tgt: [[5, 2]] }, { training: false, seed: 0 }),
    ).toThrow(/Seq2Seq: model used after dispose/);
  });
});
