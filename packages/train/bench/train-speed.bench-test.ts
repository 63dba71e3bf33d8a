// Training throughput (target tokens/s) on the DESIGN.md workload: batch 64, length 20, vocab 2,000, emb 128, hidden 256.

import { initBackend } from '@seqlab/rnn';
import { Seq2Seq } from '@seqlab/seq2seq';
import { EOS, Rng } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { expect, test } from 'vitest';
import { Adam, trainStep } from '../src/index';

const STEPS = Number(process.env.STEPS ?? 3);

test('train throughput', async () => {
  for (const backend of (process.env.BACKENDS ?? 'wasm').split(',')) {
    const got = await initBackend(backend as 'wasm' | 'cpu');
    const model = new Seq2Seq({
      srcVocab: 2000,
      tgtVocab: 2000,
      embDim: 128,
      hidden: 256,
      encoderHidden: 128,
      attentionDim: 128,
      dropout: 0.1,
      labelSmoothing: 0.1,
      seed: 1,
    });
    const rng = new Rng(3);
    const row = () => [...Array.from({ length: 19 }, () => 4 + rng.int(1996)), EOS];
    const batch = { src: Array.from({ length: 64 }, row), tgt: Array.from({ length: 64 }, row) };
    const opt = new Adam({ lr: 1e-3 });
    const first = trainStep(model, opt, batch, 1, { clipNorm: 5, nonFiniteLrFactor: 0.5 });
    const before = tf.memory().numTensors;
    const t = performance.now();
    let last = first;
    for (let i = 0; i < STEPS; i++)
      last = trainStep(model, opt, batch, i + 2, { clipNorm: 5, nonFiniteLrFactor: 0.5 });
    const secs = (performance.now() - t) / 1000;
    expect(tf.memory().numTensors).toBe(before);
    expect(last.loss).toBeLessThan(first.loss);
    console.log(
      `${got}: ${((STEPS * 64 * 20) / secs).toFixed(0)} target tokens/s (${((secs / STEPS) * 1000).toFixed(0)} ms/step, loss ${first.loss.toFixed(3)} → ${last.loss.toFixed(3)})`,
    );
    opt.dispose();
    model.dispose();
  }
});
