// End-to-end: a small model learns to reverse short sequences with the Trainer, greedy and beam decoding.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { ArrayBatchSource, Seq2Seq, Trainer } from '../src/index';
import { reverseBatches, useCpu } from './helpers';

beforeAll(useCpu);

describe('reverse task', () => {
  test('learns to reverse 30 symbols, length ≤ 6, to ~100% exact match', async () => {
    const model = new Seq2Seq({
      srcVocab: 34, tgtVocab: 34, embDim: 24, hidden: 64, encoderHidden: 32, attentionDim: 32,
      attention: 'additive', dropout: 0, labelSmoothing: 0, maxLen: 8, seed: 1,
    });
    const data = new ArrayBatchSource(reverseBatches(60, 32, 30, 6, 11), { seed: 2 });
    const losses: number[] = [];
    const trainer = new Trainer({ model, data, maxSteps: Number(process.env.STEPS ?? 400), optimizer: { lr: 1e-2 }, seed: 5, callbacks: { onStep: (e) => losses.push(e.loss) } });
    const t0 = performance.now();
    await trainer.run();
    const secs = (performance.now() - t0) / 1000;
    const test = reverseBatches(1, 100, 30, 6, 999)[0]!;
    const out = await model.greedy(test.src);
    const exact = out.filter((r, i) => JSON.stringify([...r.tokens, 2]) === JSON.stringify(test.tgt[i])).length / out.length;
    console.log(`reverse: ${losses.length} steps in ${secs.toFixed(1)} s, first loss ${losses[0]?.toFixed(3)}, last ${losses.at(-1)?.toFixed(3)}, exact ${exact}`);
    expect(exact).toBeGreaterThanOrEqual(0.95);
    trainer.dispose();
    model.dispose();
  });
});
