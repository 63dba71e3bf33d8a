import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import {
  type CaptionBatch,
  CaptionModel,
  dropWords,
  type FastDecoder,
  generate,
  gridCoords,
} from '@seqlab/seq2seq';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCaptioner } from '../src/captioner';
import { memorySource } from '../src/source';
import { type Files, tinyCaptionerFiles } from './helpers';

let files: Files;
beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyCaptionerFiles();
});

const rgba = (w: number, h: number, fill = 200) => ({
  width: w,
  height: h,
  data: new Uint8ClampedArray(w * h * 4).fill(fill),
});

describe('Captioner pipeline', () => {
  it('captions pixel buffers of any size with per-word attention over the grid', async () => {
    const c = await loadCaptioner(memorySource(files));
    expect(c.imageSize).toBe(16);
    for (const img of [rgba(16, 16), rgba(8, 8), rgba(300, 200, 30)]) {
      const r = await c.caption(img, { beam: 3 });
      expect(typeof r.text).toBe('string');
      expect(r.gridSize).toEqual([4, 4]);
      expect(r.attention.length).toBe(r.tokens.length);
      for (const row of r.attention) {
        expect(row.length).toBe(16);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
      expect(r.nBest.length).toBeGreaterThanOrEqual(1);
      expect(r.nBest[0]?.text).toBe(r.text);
    }
    c.dispose();
  });

  it('accepts RGB and RGBA tensors and refuses a disposed one', async () => {
    const c = await loadCaptioner(memorySource(files));
    const rgb = tf.fill([20, 20, 3], 128, 'int32') as tf.Tensor3D;
    const r = await c.caption(rgb);
    expect(typeof r.text).toBe('string');
    rgb.dispose();
    await expect(c.caption(rgb)).rejects.toThrow(/disposed/);
    c.dispose();
  });

  it("host decoding (the default on cpu/wasm) gives the tensor path's captions and attention", async () => {
    const host = await loadCaptioner(memorySource(files));
    const plain = await loadCaptioner(memorySource(files), { hostDecoding: false });
    const fast = (c: unknown) => (c as { fast: FastDecoder }).fast;
    expect(fast(host).decoder).not.toBeNull();
    expect(fast(plain).decoder).toBeNull();
    for (const img of [rgba(16, 16), rgba(40, 30, 30), rgba(16, 16, 250)]) {
      const [a, b] = [await host.caption(img), await plain.caption(img)];
      expect(a.text).toBe(b.text);
      expect(a.score).toBeCloseTo(b.score, 4);
      for (const [i, row] of a.attention.entries())
        for (const [j, v] of row.entries()) expect(v).toBeCloseTo(b.attention[i]?.[j] as number, 5);
    }
    host.dispose();
    plain.dispose();
    expect(fast(host).isDisposed).toBe(true); // dispose frees the host copies
  });

  it('beam 1 equals greedy', async () => {
    const c = await loadCaptioner(memorySource(files));
    const img = rgba(16, 16, 90);
    expect((await c.caption(img, { beam: 1 })).text).toBe((await c.caption(img)).text);
    c.dispose();
  });

  it('does not leak tensors over many captions and errors after dispose', async () => {
    const c = await loadCaptioner(memorySource(files));
    await c.caption(rgba(16, 16), { beam: 2 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await c.caption(rgba(16 + i, 16, i * 10), { beam: 1 + (i % 3) });
    expect(tf.memory().numTensors).toBe(before);
    c.dispose();
    await expect(c.caption(rgba(16, 16))).rejects.toThrow(/after dispose/);
  });

  it('reports a vocab that does not match the weights', async () => {
    const v = JSON.parse(files['vocab.json'] as string);
    v.tokens = v.tokens.slice(0, -1);
    await expect(
      loadCaptioner(memorySource({ ...files, 'vocab.json': JSON.stringify(v) }, 'm')),
    ).rejects.toThrow(/vocab has .* words but the weights expect/);
  });
});

describe('Captioner closed-set decoding', () => {
  const known = [
    'a small red circle',
    'a large blue square',
    'a star',
    'a small star and a triangle',
  ];

  it('writes only known captions (greedy and beam, any image), and leaks nothing', async () => {
    for (const seed of [1, 2, 3]) {
      const c = await loadCaptioner(memorySource(await tinyCaptionerFiles(seed, {}, known)));
      expect(c.canDecodeClosed).toBe(true);
      await c.caption(rgba(16, 16), { closed: true });
      const before = tf.memory().numTensors;
      for (const [i, img] of [rgba(16, 16, 10), rgba(16, 16, 240), rgba(30, 20, 128)].entries()) {
        const g = await c.caption(img, { closed: true });
        expect(known).toContain(g.text);
        const b = await c.caption(img, { closed: true, beam: 1 + i });
        expect(known).toContain(b.text);
        for (const h of b.nBest) expect(known).toContain(h.text);
      }
      expect(tf.memory().numTensors).toBe(before);
      c.dispose();
    }
  });

  it('says why it cannot decode closed without the list, and rejects a malformed list', async () => {
    const plain = await loadCaptioner(memorySource(files));
    expect(plain.canDecodeClosed).toBe(false);
    await expect(plain.caption(rgba(16, 16), { closed: true })).rejects.toThrow(
      /closed: true needs the captions the model was trained on/,
    );
    plain.dispose();
    const withList = await tinyCaptionerFiles(1, {}, known);
    for (const bad of ['{}', '[]', '["ok", 3]', '[" "]']) {
      await expect(
        loadCaptioner(memorySource({ ...withList, 'captions.json': bad }, 'm')),
      ).rejects.toThrow(/captions.json: expected a non-empty array of caption strings/);
    }
  });
});

/** Runs `steps` Adam steps on one batch; returns the last loss and the optimizer (caller disposes it). */
function trainTiny(
  m: CaptionModel,
  batch: CaptionBatch,
  steps: number,
): { loss: number; opt: tf.Optimizer } {
  const opt = tf.train.adam(0.05);
  const vars = m.params
    .entries()
    .map(([, v]) => v)
    .filter((v) => v.trainable);
  let loss = Number.NaN;
  for (let i = 0; i < steps; i++) {
    const l = opt.minimize(() => m.loss(batch, { training: true, seed: i }), true, vars);
    loss = l?.dataSync()[0] as number;
    l?.dispose();
  }
  return { loss, opt };
}

describe('CaptionModel training', () => {
  it('learns to name the colour of a square from pixels (end to end through the CNN), without leaking', async () => {
    // Two classes: red image → caption [5, 2]; blue image → [6, 2].
    const m = new CaptionModel({
      vocab: 8,
      channels: [4, 8],
      strides: [2, 2],
      embDim: 8,
      hidden: 16,
      attentionDim: 8,
      maxLen: 4,
      imageSize: 8,
      seed: 3,
    });
    const imgs = new Float32Array(4 * 8 * 8 * 3);
    for (let k = 0; k < 4; k++)
      for (let p = 0; p < 64; p++) imgs.set(k % 2 ? [0, 0, 1] : [1, 0, 0], (k * 64 + p) * 3);
    const batch = {
      images: imgs,
      count: 4,
      captions: [
        [5, 2],
        [6, 2],
        [5, 2],
        [6, 2],
      ],
    };
    const trainable = m.params.entries().filter(([, v]) => v.trainable).length;
    const before = tf.memory().numTensors;
    const { loss, opt } = trainTiny(m, batch, 40);
    expect(loss).toBeLessThan(0.2);
    const x = tf.tensor4d(imgs.slice(0, 2 * 192), [2, 8, 8, 3]);
    const hyps = await generate(m, x);
    x.dispose();
    expect(hyps.map((h) => h[0]?.tokens)).toEqual([[5], [6]]);
    opt.dispose();
    // Adam slots are created on the first step; after that the count must stay flat.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2 * trainable + 2);
    m.dispose();
  });
});

describe('CaptionModel word dropout', () => {
  it('dropWords replaces about `rate` of the words after BOS with UNK, reproducibly per seed', () => {
    const ids = tf.tensor2d(
      Array.from({ length: 50 }, () => [1, ...Array.from({ length: 19 }, (_, j) => 4 + j)]),
      undefined,
      'int32',
    );
    const before = tf.memory().numTensors;
    const a = dropWords(ids, 0.3, 7);
    const again = dropWords(ids, 0.3, 7);
    const other = dropWords(ids, 0.3, 8);
    expect(tf.memory().numTensors).toBe(before + 3);
    const rows = a.arraySync();
    expect(rows.every((r) => r[0] === 1)).toBe(true);
    let dropped = 0;
    for (const r of rows)
      for (let j = 1; j < r.length; j++) {
        if (r[j] === 3) dropped++;
        else expect(r[j]).toBe(4 + j - 1);
      }
    expect(dropped / (50 * 19)).toBeGreaterThan(0.25);
    expect(dropped / (50 * 19)).toBeLessThan(0.35);
    expect(again.arraySync()).toEqual(rows);
    expect(other.arraySync()).not.toEqual(rows);
    tf.dispose([ids, a, again, other]);
  });

  it('changes the training loss only, and refuses a rate outside [0, 1)', () => {
    const cfg = {
      vocab: 8,
      channels: [4],
      strides: [2],
      embDim: 8,
      hidden: 8,
      attentionDim: 8,
      maxLen: 6,
      imageSize: 8,
      seed: 3,
    };
    const plain = new CaptionModel(cfg);
    const dropped = new CaptionModel({ ...cfg, wordDropout: 0.5 });
    const batch = {
      images: new Float32Array(2 * 8 * 8 * 3).fill(0.5),
      count: 2,
      captions: [
        [5, 6, 7, 2],
        [6, 5, 4, 2],
      ],
    };
    const loss = (m: CaptionModel, training: boolean) =>
      tf.tidy(() => m.loss(batch, { training, seed: 1 }).dataSync()[0] as number);
    expect(loss(dropped, false)).toBeCloseTo(loss(plain, false), 6);
    expect(loss(plain, true)).toBeCloseTo(loss(plain, false), 6);
    expect(Math.abs(loss(dropped, true) - loss(plain, true))).toBeGreaterThan(1e-4);
    expect(() => new CaptionModel({ ...cfg, wordDropout: 1 })).toThrow(
      /wordDropout must be a number in \[0, 1\)/,
    );
    plain.dispose();
    dropped.dispose();
  });
});

describe('CaptionModel positional memory', () => {
  it('gridCoords gives each cell its (x, y) centre in [-1, 1], row-major', () => {
    const g = gridCoords(2, 3);
    expect(g.shape).toEqual([6, 2]);
    expect(Array.from(g.dataSync())).toEqual([-1, -1, 0, -1, 1, -1, -1, 1, 0, 1, 1, 1]);
    g.dispose();
    const one = gridCoords(1, 1);
    expect(Array.from(one.dataSync())).toEqual([0, 0]);
    one.dispose();
  });

  it('refuses an unknown positional mode, naming the valid ones', () => {
    expect(
      () => new CaptionModel({ vocab: 8, positional: 'sinusoid' as unknown as 'coords' }),
    ).toThrow(/positional must be 'none' or 'coords', got "sinusoid"/);
  });

  it("'coords' survives save and load: same config, same captions and scores, no leak", async () => {
    const coordFiles = await tinyCaptionerFiles(2, { positional: 'coords' });
    const model = JSON.parse(coordFiles['model.json'] as string);
    expect(JSON.stringify(model)).toContain('"positional":"coords"');
    const a = await loadCaptioner(memorySource(coordFiles));
    const b = await loadCaptioner(memorySource(coordFiles));
    const before = tf.memory().numTensors;
    for (const img of [rgba(16, 16, 40), rgba(30, 20, 220)]) {
      const ra = await a.caption(img, { beam: 2 });
      const rb = await b.caption(img, { beam: 2 });
      expect(ra.text).toBe(rb.text);
      expect(ra.score).toBeCloseTo(rb.score, 5);
    }
    expect(tf.memory().numTensors).toBe(before);
    a.dispose();
    b.dispose();
  });

  it("with 'coords' the decoder learns where a lone square is (left or right half) from position alone", async () => {
    // Same colour, same size: only position separates caption [5] (left) from [6] (right).
    const m = new CaptionModel({
      vocab: 8,
      channels: [4, 8],
      strides: [2, 2],
      embDim: 8,
      hidden: 16,
      attentionDim: 8,
      maxLen: 4,
      imageSize: 8,
      seed: 5,
      positional: 'coords',
    });
    const imgs = new Float32Array(4 * 8 * 8 * 3).fill(1);
    for (let k = 0; k < 4; k++) {
      const x0 = k % 2 ? 5 : 0;
      for (let y = 3; y < 6; y++)
        for (let x = x0; x < x0 + 3; x++) imgs.set([0, 0, 0], (k * 64 + y * 8 + x) * 3);
    }
    const batch = {
      images: imgs,
      count: 4,
      captions: [
        [5, 2],
        [6, 2],
        [5, 2],
        [6, 2],
      ],
    };
    const { opt } = trainTiny(m, batch, 60);
    const x = tf.tensor4d(imgs.slice(0, 2 * 192), [2, 8, 8, 3]);
    const hyps = await generate(m, x);
    x.dispose();
    expect(hyps.map((h) => h[0]?.tokens)).toEqual([[5], [6]]);
    // Batches of another image size say so; the CNN resizes them when `size` is given.
    const big = {
      images: new Float32Array(2 * 16 * 16 * 3).fill(0.5),
      count: 2,
      captions: [
        [5, 2],
        [6, 2],
      ],
    };
    expect(() => m.loss(big, { training: false, seed: 0 })).toThrow(
      /expected 2 images of 8×8×3 = 384 values, got 1536; set batch.size/,
    );
    const l = m.loss({ ...big, size: 16 }, { training: false, seed: 0 });
    expect(Number.isFinite(l.dataSync()[0])).toBe(true);
    l.dispose();
    opt.dispose();
    m.dispose();
  });
});
