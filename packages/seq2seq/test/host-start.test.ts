// A decoding start computed on the host (FastDecoder.startFromIds: host encoder, then bridge,
// attention keys and mask bias on the decoder's kernels) equals Decoder.init's tensors, and
// generate() on it gives the tensor path's hypotheses, with no tensor made or leaked.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { readStart } from '../src/decode/select';
import {
  disposeMemory,
  disposeState,
  FastDecoder,
  generate,
  type Hypothesis,
  Seq2Seq,
  type Seq2SeqConfig,
} from '../src/index';
import { RAGGED_SRC as SRC, TINY, useCpu } from './helpers';

beforeAll(useCpu);

function expectClose(a: Float32Array | null, b: Float32Array | null, what: string): void {
  expect(a === null, what).toBe(b === null);
  if (!a || !b) return;
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  expect(worst, what).toBeLessThan(1e-5);
}

function expectSameHyps(a: Hypothesis[][], b: Hypothesis[][]): void {
  expect(a.length).toBe(b.length);
  for (const [i, row] of a.entries())
    for (const [j, h] of row.entries()) {
      const t = b[i]?.[j] as Hypothesis;
      expect(h.tokens).toEqual(t.tokens);
      expect(h.score).toBeCloseTo(t.score, 4);
    }
}

describe('host start', () => {
  const variants: [string, Partial<Seq2SeqConfig>][] = [
    ['additive attention, bidirectional', { attention: 'additive' }],
    ['dot attention, no input feeding', { attention: 'dot', inputFeeding: false }],
    ['no attention, unidirectional', { attention: 'none', bidirectional: false }],
    [
      'two encoder and decoder layers, hidden 20 (padded lanes)',
      { encoderLayers: 2, decoderLayers: 2, hidden: 20, attentionDim: 5 },
    ],
  ];
  for (const [name, cfg] of variants) {
    test(`${name}: the tensors' start and hypotheses`, async () => {
      const model = new Seq2Seq({
        ...TINY,
        srcVocab: 16,
        tgtVocab: 30,
        maxLen: 9,
        ...cfg,
        seed: 5,
      });
      const fast = FastDecoder.from(model, { int8Head: false });
      const host = fast.startFromIds(SRC);
      expect(host).not.toBeNull();
      const { mem, state } = model.begin(SRC);
      const ref = await readStart(mem, state);
      disposeMemory(mem);
      disposeState(state);
      if (!host) return;
      expect([host.rows, host.T]).toEqual([ref.rows, ref.T]);
      expectClose(host.memory, ref.memory, 'memory');
      expectClose(host.keys, ref.keys, 'keys');
      expectClose(host.maskBias, ref.maskBias, 'mask bias');
      expectClose(host.feed, ref.feed, 'feed');
      for (const [l, s] of host.layers.entries()) {
        expectClose(s.h, ref.layers[l]?.h ?? null, `h${l}`);
        expectClose(s.c, ref.layers[l]?.c ?? null, `c${l}`);
      }
      const before = tf.memory().numTensors;
      const greedy = await generate(model, SRC, { fast });
      const beam = await generate(model, SRC.slice(0, 2), { beam: 3, fast });
      expect(tf.memory().numTensors).toBe(before); // no tensor on the host path
      expectSameHyps(greedy, await generate(model, SRC));
      expectSameHyps(beam, await generate(model, SRC.slice(0, 2), { beam: 3 }));
      fast.dispose();
      model.dispose();
    });
  }

  test('bad ids get the tensor path’s error; a busy or encoder-less copy gives no start', async () => {
    const model = new Seq2Seq({ ...TINY, srcVocab: 16 });
    const fast = FastDecoder.from(model, { int8Head: false });
    const plainError = await generate(model, [[5, 99, 2]]).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    expect(plainError).toMatch(/id 99 outside the vocabulary \[0, 16\)/);
    await expect(generate(model, [[5, 99, 2]], { fast })).rejects.toThrow(plainError);
    const decoderOnly = FastDecoder.from({ decoder: model.decoder }, { int8Head: false });
    expect(decoderOnly.startFromIds(SRC)).toBeNull();
    const start = fast.startFromIds(SRC.slice(0, 1));
    expect(start).not.toBeNull();
    const stepper = start ? fast.decoder?.start(start, null) : undefined;
    expect(fast.startFromIds(SRC)).toBeNull(); // busy: generate falls back to tensors
    const viaTensors = (await generate(model, SRC.slice(0, 1), { fast }))[0]?.[0];
    stepper?.end();
    const onHost = (await generate(model, SRC.slice(0, 1), { fast }))[0]?.[0];
    expect(onHost?.tokens).toEqual(viaTensors?.tokens);
    decoderOnly.dispose();
    fast.dispose();
    model.dispose();
  });
});
