// Reliability: 1,000 translations and 1,000 captions keep tensors and bytes flat; dispose() is final.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { CaptionModel, generate } from '@seqlab/seq2seq';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCaptioner } from '../src/captioner';
import { memorySource } from '../src/source';
import { loadTranslator } from '../src/translator';
import { tinyCaptionerFiles, tinyTranslatorFiles } from './helpers';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** tf.memory() after every call of `fn(i)`, i in 0..n-1. */
async function sample(n: number, fn: (i: number) => Promise<unknown>) {
  const out: { numTensors: number; numBytes: number }[] = [];
  for (let i = 0; i < n; i++) {
    await fn(i);
    const m = tf.memory();
    out.push({ numTensors: m.numTensors, numBytes: m.numBytes });
  }
  return out;
}

function expectFlat(samples: { numTensors: number; numBytes: number }[]): void {
  const first = samples[0];
  const bad = samples.findIndex(
    (s) => s.numTensors !== first?.numTensors || s.numBytes !== first?.numBytes,
  );
  expect(bad === -1 ? null : { call: bad, ...samples[bad], first }).toBeNull();
}

describe('memory under load', () => {
  it('1,000 translations (greedy and beam, odd inputs included) leave tensors and bytes flat', async () => {
    const t = await loadTranslator(memorySource(await tinyTranslatorFiles()));
    const inputs = [
      'Open the file',
      'Save the file as %s',
      '',
      'Print {count} pages',
      'x 📂 \ud800',
      'Quit',
    ];
    // maxLength keeps an untrained model from decoding to its length limit on every call (speed, not memory).
    const run = (i: number) =>
      t.translate(inputs[i % inputs.length] as string, {
        beam: i % 10 === 0 ? 2 : 1,
        maxLength: 4,
      });
    await run(0);
    await run(10);
    expectFlat(await sample(1000, run));
    t.dispose();
  });

  it('1,000 captions (several sizes, beam and greedy) leave tensors and bytes flat', async () => {
    const c = await loadCaptioner(memorySource(await tinyCaptionerFiles()));
    const images = [16, 8, 40].map((w, k) => ({
      width: w,
      height: 16,
      data: new Uint8ClampedArray(w * 16 * 4).fill(60 * k + 30),
    }));
    const run = (i: number) =>
      c.caption(images[i % images.length] as (typeof images)[number], {
        beam: i % 10 === 0 ? 2 : 1,
        maxLength: 4,
      });
    await run(0);
    await run(10);
    expectFlat(await sample(1000, run));
    c.dispose();
  });
});

describe('use after dispose', () => {
  it('TranslatorPipeline: translate and translateBatch throw; dispose is idempotent and frees the weights', async () => {
    const before = tf.memory().numTensors;
    const t = await loadTranslator(memorySource(await tinyTranslatorFiles()));
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    await expect(t.translate('Quit')).rejects.toThrow(
      /Translator: used after dispose\(\); load the model again/,
    );
    await expect(t.translateBatch(['Quit'])).rejects.toThrow(/Translator: used after dispose/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('CaptionerPipeline and CaptionModel', async () => {
    const before = tf.memory().numTensors;
    const c = await loadCaptioner(memorySource(await tinyCaptionerFiles()));
    c.dispose();
    c.dispose();
    await expect(
      c.caption({ width: 2, height: 2, data: new Uint8ClampedArray(16) }),
    ).rejects.toThrow(/Captioner: used after dispose\(\); load the model again/);
    expect(tf.memory().numTensors).toBe(before);

    const m = new CaptionModel({
      vocab: 8,
      channels: [4],
      strides: [2],
      embDim: 4,
      hidden: 4,
      attentionDim: 4,
      imageSize: 4,
    });
    m.dispose();
    expect(m.isDisposed).toBe(true);
    const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
    await expect(generate(m, x)).rejects.toThrow(/CaptionModel: used after dispose/);
    expect(() =>
      m.loss(
        { images: new Float32Array(48), count: 1, captions: [[4, 2]] },
        { training: true, seed: 0 },
      ),
    ).toThrow(/CaptionModel: used after dispose/);
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
