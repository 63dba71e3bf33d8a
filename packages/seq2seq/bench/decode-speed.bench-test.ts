// Inference latency of greedy and beam-4 decoding for a 10-word sentence with a ~256-hidden model (wasm and cpu).

import { initBackend } from '@seqlab/rnn';
import { EOS } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { test } from 'vitest';
import { generate, Seq2Seq } from '../src/index';

const CFG = {
  srcVocab: 2000,
  tgtVocab: 2000,
  embDim: 128,
  hidden: 256,
  encoderHidden: 128,
  attentionDim: 128,
  attention: 'additive' as const,
  dropout: 0,
  labelSmoothing: 0,
  seed: 1,
};
const OUT_LEN = Number(process.env.OUT_LEN ?? 12); // untrained models rarely stop: cap the output at a sentence's length
const RUNS = Number(process.env.RUNS ?? 15);

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return ts.sort((a, b) => a - b)[Math.floor(ts.length / 2)] as number;
}

test('decode latency', async () => {
  for (const backend of (process.env.BACKENDS ?? 'wasm,cpu').split(',')) {
    const got = await initBackend(backend as 'wasm' | 'cpu');
    const model = new Seq2Seq({ ...CFG, maxLen: OUT_LEN });
    const src = [[...Array.from({ length: 10 }, (_, i) => 10 + i * 37), EOS]];
    const before = tf.memory().numTensors;
    const greedy = await median(() => generate(model, src));
    const beam = await median(() => generate(model, src, { beam: 4, nBest: 1 }));
    const leak = tf.memory().numTensors - before;
    console.log(
      `${got}: hidden ${CFG.hidden}, 10-word source, ${OUT_LEN} output steps: greedy ${greedy.toFixed(1)} ms, beam-4 ${beam.toFixed(1)} ms (median of ${RUNS}; tensors leaked ${leak})`,
    );
    model.dispose();
  }
});
