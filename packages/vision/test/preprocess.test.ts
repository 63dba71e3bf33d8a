// Preprocessing: pixel buffers (RGBA/gray/gray+alpha), tensors, alpha over white, antialiased resize, normalisation, big inputs.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagesToBatch, imageToTensor, normalizeImages, resizeImages } from '../src';
import { useCpu } from './helpers';

beforeAll(useCpu);
const values = (t: tf.Tensor) => Array.from(t.dataSync()).map((v) => Math.round(v * 1000) / 1000);

describe('imageToTensor', () => {
  it('RGBA composites alpha over white', () => {
    const t = imageToTensor({
      width: 2,
      height: 1,
      data: new Uint8ClampedArray([255, 0, 0, 255, 0, 0, 0, 0]),
    });
    expect(t.shape).toEqual([1, 1, 2, 3]);
    expect(values(t)).toEqual([1, 0, 0, 1, 1, 1]);
    t.dispose();
  });
  it('gray and gray+alpha buffers become RGB', () => {
    const g = imageToTensor({ width: 1, height: 1, data: new Uint8Array([51]) });
    expect(values(g)).toEqual([0.2, 0.2, 0.2]);
    const ga = imageToTensor(
      { width: 1, height: 1, data: new Uint8Array([0, 128]) },
      { background: [0, 0, 1] },
    );
    expect(values(ga)).toEqual([0, 0, 0.498]);
    tf.dispose([g, ga]);
  });
  it('int32 and float tensors, 3-D or 4-D, with 1–4 channels', () => {
    const a = tf.tensor3d([0, 255, 0, 255], [1, 1, 4], 'int32');
    const b = tf.tensor4d([0.5], [1, 1, 1, 1]);
    expect(values(imageToTensor(a))).toEqual([0, 1, 0]);
    expect(values(imageToTensor(b))).toEqual([0.5, 0.5, 0.5]);
    expect(() => imageToTensor(tf.zeros([1, 1, 5]) as tf.Tensor3D)).toThrow(
      /5 channels; expected 1 \(gray\)/,
    );
    tf.dispose([a, b]);
  });
  it('rejects buffers whose length does not fit width×height×channels', () => {
    expect(() => imageToTensor({ width: 2, height: 2, data: new Uint8Array(5) })).toThrow(
      /expected width\*height\*\{1,2,3,4\}/,
    );
  });
  it('shrinks a large buffer while reading (box average) and ends at the requested size', () => {
    // 2000×1500 RGBA checkerboard of 1-px black/white: any aliasing would show as extreme values.
    const w = 2000;
    const h = 1500;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        data
          .fill((x + y) % 2 ? 255 : 0, (y * w + x) * 4, (y * w + x) * 4 + 3)
          .fill(255, (y * w + x) * 4 + 3, (y * w + x) * 4 + 4);
    const before = tf.memory().numTensors;
    const t = imageToTensor({ width: w, height: h, data }, { size: [32, 32] });
    expect(t.shape).toEqual([1, 32, 32, 3]);
    const [lo, hi] = tf.tidy(() => [tf.min(t).dataSync()[0]!, tf.max(t).dataSync()[0]!]);
    expect(lo).toBeGreaterThan(0.45);
    expect(hi).toBeLessThan(0.55);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('resize and normalise', () => {
  it('antialiased downscale of a checkerboard is flat grey; without prefilter it aliases', () => {
    const board = tf.tidy(() => {
      const idx = tf.range(0, 64);
      const parity = tf.mod(tf.add(tf.reshape(idx, [64, 1]), tf.reshape(idx, [1, 64])), 2);
      return tf.tile(
        tf.reshape(tf.cast(parity, 'float32'), [1, 64, 64, 1]),
        [1, 1, 1, 3],
      ) as tf.Tensor4D;
    });
    const smooth = resizeImages(board, [9, 9]);
    const aliased = resizeImages(board, [9, 9], { antialias: false });
    const spread = (t: tf.Tensor) =>
      tf.tidy(() => (tf.max(t).dataSync()[0] as number) - (tf.min(t).dataSync()[0] as number));
    expect(spread(smooth)).toBeLessThan(0.05);
    expect(spread(aliased)).toBeGreaterThan(0.5);
    tf.dispose([board, smooth, aliased]);
  });
  it('normalisations map [0,1] as configured', () => {
    const x = tf.tensor4d([0, 0.5, 1], [1, 1, 1, 3]);
    expect(values(normalizeImages(x, 'minus-one-one'))).toEqual([-1, 0, 1]);
    expect(values(normalizeImages(x, { mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.5] }))).toEqual([
      -1, 0, 1,
    ]);
    expect(() => normalizeImages(x, { mean: [0, 0, 0], std: [1, 0, 1] })).toThrow(
      /std must be non-zero/,
    );
    x.dispose();
  });
  it('batches images of different sizes when a size is given', () => {
    const a = { width: 4, height: 2, data: new Uint8ClampedArray(4 * 2 * 4).fill(255) };
    const b = { width: 3, height: 3, data: new Uint8Array(9) };
    const before = tf.memory().numTensors;
    const batch = imagesToBatch([a, b], { size: [5, 5], normalization: 'minus-one-one' });
    expect(batch.shape).toEqual([2, 5, 5, 3]);
    const means = tf.mean(batch, [1, 2, 3]);
    expect(values(means)).toEqual([1, -1]);
    means.dispose();
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => imagesToBatch([a, b])).toThrow(/differ in size/);
  });
});
