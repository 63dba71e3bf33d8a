// SmallCnn: shapes, seeded determinism, batch-norm modes, end-to-end gradients, JSON round trip, no leaks.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { appendCoords, conv2dSame, SmallCnn } from '../src';
import { batchNormTraining } from '../src/batch-norm';
import { useCpu } from './helpers';

beforeAll(useCpu);

const images = (n: number, seed: number, size = 16) =>
  tf.randomUniform([n, size, size, 3], 0, 1, 'float32', seed) as tf.Tensor4D;
const maxDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
const config = {
  inputSize: [16, 16] as [number, number],
  channels: [4, 8],
  strides: [2, 2],
  seed: 3,
};

describe('SmallCnn', () => {
  it('returns grid [b, h/4, w/4, c] and pooled [b, c]; resizes other input sizes', () => {
    const cnn = new SmallCnn({ ...config, convsPerBlock: 2 });
    expect(cnn.gridSize).toEqual([4, 4]);
    expect(cnn.outputChannels).toBe(8);
    expect(cnn.trainableWeights.length).toBe(4 * 3);
    const x = images(2, 1, 40);
    const { grid, pooled } = cnn.features(x);
    expect(grid.shape).toEqual([2, 4, 4, 8]);
    expect(pooled.shape).toEqual([2, 8]);
    tf.dispose([x, grid, pooled]);
    cnn.dispose();
  });

  it('is deterministic per seed and differs across seeds', () => {
    const x = images(2, 2);
    const [a, b, c] = [3, 3, 4].map((seed) => new SmallCnn({ ...config, seed }));
    const fa = a!.features(x);
    const fb = b!.features(x);
    const fc = c!.features(x);
    expect(maxDiff(fa.grid, fb.grid)).toBe(0);
    expect(maxDiff(fa.grid, fc.grid)).toBeGreaterThan(1e-3);
    tf.dispose([x, fa, fb, fc] as unknown as tf.Tensor[]);
    for (const m of [a, b, c]) m!.dispose();
  });

  it('batch norm: training uses batch statistics and updates moving averages; inference is per-image', () => {
    const cnn = new SmallCnn(config);
    const x = images(4, 5);
    const w = cnn.getWeights();
    const mean0 = w['block0/conv0/bn/moving_mean']!.dataSync().slice();
    const inf = cnn.features(x);
    expect(Array.from(w['block0/conv0/bn/moving_mean']!.dataSync())).toEqual(Array.from(mean0));
    const tr = cnn.features(x, { training: true });
    expect(maxDiff(w['block0/conv0/bn/moving_mean']!, tf.tensor(mean0))).toBeGreaterThan(1e-4);
    expect(maxDiff(inf.grid, tr.grid)).toBeGreaterThan(1e-3);
    // Inference: an image's features do not depend on the rest of the batch.
    const one = tf.slice(x, [0, 0, 0, 0], [1]);
    const alone = cnn.features(one);
    const inBatch = tf.slice(cnn.features(x).pooled, [0, 0], [1]);
    expect(maxDiff(alone.pooled, inBatch)).toBeLessThan(1e-5);
    tf.dispose([
      x,
      one,
      inBatch,
      inf.grid,
      inf.pooled,
      tr.grid,
      tr.pooled,
      alone.grid,
      alone.pooled,
    ]);
    cnn.dispose();
  });

  it('every trainable weight gets a gradient from a downstream loss (end-to-end with a decoder)', () => {
    const cnn = new SmallCnn(config);
    const x = images(3, 6);
    const decoder = tf.variable(tf.randomNormal([8, 5], 0, 1, 'float32', 7));
    const { value, grads } = tf.variableGrads(() => {
      const { pooled } = cnn.features(x, { training: true });
      return tf.mean(tf.square(tf.matMul(pooled, decoder))) as tf.Scalar;
    }, [...cnn.trainableWeights, decoder]);
    for (const v of cnn.trainableWeights) {
      const g = grads[v.name];
      expect(g, v.name).toBeDefined();
      expect(
        tf.tidy(() => tf.sum(tf.abs(g!)).dataSync()[0] as number),
        v.name,
      ).toBeGreaterThan(0);
    }
    tf.dispose([value, x, decoder, ...Object.values(grads)]);
    cnn.dispose();
  });

  it('conv2dSame matches tf.conv2d in value and gradients', () => {
    for (const [h, s] of [
      [9, 1],
      [9, 2],
      [8, 2],
      [10, 3],
    ] as const) {
      const x = tf.randomNormal([2, h, h + 1, 3], 0, 1, 'float32', h) as tf.Tensor4D;
      const k = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', s) as tf.Tensor4D;
      const f = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.square(conv(a as tf.Tensor4D, b as tf.Tensor4D))),
        )([x, k]);
      const mine = f((a, b) => conv2dSame(a, b, s));
      const ref = f((a, b) => tf.conv2d(a, b, s, 'same'));
      const y1 = conv2dSame(x, k, s);
      const y2 = tf.conv2d(x, k, s, 'same');
      expect(maxDiff(y1, y2)).toBeLessThan(1e-4);
      for (let i = 0; i < 2; i++) {
        const scale = tf.tidy(() => tf.max(tf.abs(ref[i]!)).dataSync()[0] as number);
        expect(maxDiff(mine[i]!, ref[i]!) / scale).toBeLessThan(1e-5);
      }
      tf.dispose([x, k, y1, y2, ...mine, ...ref]);
    }
  });

  it('round-trips through JSON with identical features', () => {
    const cnn = new SmallCnn(config);
    const x = images(2, 8);
    tf.dispose(cnn.features(x, { training: true }) as unknown as tf.Tensor[]); // move the BN statistics
    const copy = SmallCnn.fromJSON(JSON.stringify(cnn.toJSON()));
    const a = cnn.features(x);
    const b = copy.features(x);
    expect(maxDiff(a.grid, b.grid)).toBe(0);
    expect(copy.config).toEqual(cnn.config);
    expect(() =>
      SmallCnn.fromJSON({ ...cnn.toJSON(), format: 'other' as 'seqlab-small-cnn' }),
    ).toThrow(/expected format 'seqlab-small-cnn'/);
    tf.dispose([x, a.grid, a.pooled, b.grid, b.pooled]);
    cnn.dispose();
    copy.dispose();
  });

  it('leaks no tensors across inference and training steps', () => {
    const cnn = new SmallCnn(config);
    const x = images(2, 9);
    const opt = tf.train.sgd(0.1);
    const step = () => {
      const cost = opt.minimize(
        () => tf.mean(cnn.features(x, { training: true }).pooled) as tf.Scalar,
        true,
        cnn.trainableWeights,
      );
      cost?.dispose();
      const f = cnn.features(x);
      tf.dispose([f.grid, f.pooled]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    cnn.dispose();
    x.dispose();
  });

  it('rejects bad configs and inputs with clear messages', () => {
    expect(() => new SmallCnn({ channels: [4, 8], strides: [2] })).toThrow(
      /strides has 1 entries but channels has 2/,
    );
    const cnn = new SmallCnn(config);
    const bad = tf.zeros([1, 8, 8, 4]) as tf.Tensor4D;
    expect(() => cnn.features(bad)).toThrow(/expected images \[batch, h, w, 3\]/);
    bad.dispose();
    cnn.dispose();
  });

  it('coordChannels (CoordConv): adds x and y input channels, so identical objects at different places give different pooled features', () => {
    const x = tf.zeros([1, 2, 3, 1]) as tf.Tensor4D;
    const withXY = appendCoords(x);
    expect(withXY.shape).toEqual([1, 2, 3, 3]);
    // Pixel (row 1, col 0): x = -1, y = 1.
    expect(Array.from(tf.slice(withXY, [0, 1, 0, 0], [1, 1, 1, 3]).dataSync())).toEqual([0, -1, 1]);
    expect(Array.from(tf.slice(withXY, [0, 0, 2, 0], [1, 1, 1, 3]).dataSync())).toEqual([0, 1, -1]);
    tf.dispose([x, withXY]);

    // One dark square, left vs right: a plain CNN's pooled features barely see the move
    // (only the zero padding at the border does); the CoordConv one sees it clearly.
    const scene = (x0: number) => {
      const v = new Float32Array(16 * 16 * 3).fill(1);
      for (let y = 6; y < 10; y++)
        for (let xx = x0; xx < x0 + 4; xx++) v.fill(0, (y * 16 + xx) * 3, (y * 16 + xx) * 3 + 3);
      return v;
    };
    const pair = tf.tensor4d(new Float32Array([...scene(4), ...scene(8)]), [2, 16, 16, 3]);
    const gap = (cnn: SmallCnn) =>
      tf.tidy(() => {
        const { grid, pooled } = cnn.features(pair);
        tf.dispose(grid);
        const [a, b] = tf.split(pooled, 2);
        return tf.max(tf.abs(tf.sub(a as tf.Tensor, b as tf.Tensor))).dataSync()[0] as number;
      });
    const plain = new SmallCnn(config);
    const coord = new SmallCnn({ ...config, coordChannels: true });
    expect(gap(plain)).toBeLessThan(1e-5);
    expect(gap(coord)).toBeGreaterThan(1e-3);
    const copy = SmallCnn.fromJSON(JSON.stringify(coord.toJSON()));
    expect(copy.config.coordChannels).toBe(true);
    const a = coord.features(pair);
    const b = copy.features(pair);
    expect(maxDiff(a.grid, b.grid)).toBe(0);
    tf.dispose([pair, a.grid, a.pooled, b.grid, b.pooled]);
    expect(() => new SmallCnn({ ...config, coordChannels: 'yes' as unknown as boolean })).toThrow(
      /coordChannels must be true or false, got "yes"/,
    );
    for (const c of [plain, coord, copy]) c.dispose();
  });

  it("batch norm's closed-form gradient matches autodiff of the textbook formula; moving statistics still update", () => {
    const x = tf.randomNormal([3, 4, 5, 6], 0.5, 2, 'float32', 11) as tf.Tensor4D;
    const gamma = tf.randomNormal([6], 1, 0.3, 'float32', 12);
    const beta = tf.randomNormal([6], 0, 0.3, 'float32', 13);
    const w = tf.randomNormal([3, 4, 5, 6], 0, 1, 'float32', 14); // a loss that weighs every output
    const loss = (bn: (a: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
      tf.grads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.square(bn(a as tf.Tensor4D, g, b)), w)),
      )([x, gamma, beta]);
    const reference = (a: tf.Tensor4D, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, 1e-3))), g), b);
    };
    let seen: number[] = [];
    const mine = loss((a, g, b) =>
      batchNormTraining(a, g, b, 1e-3, (m) => {
        seen = Array.from(m.dataSync());
      }),
    );
    const ref = loss(reference);
    expect(seen.length).toBe(6);
    for (let i = 0; i < 3; i++) {
      const scale = tf.tidy(() => tf.max(tf.abs(ref[i]!)).dataSync()[0] as number);
      expect(maxDiff(mine[i]!, ref[i]!) / scale, `input ${i}`).toBeLessThan(1e-4);
    }
    const y1 = batchNormTraining(x, gamma, beta, 1e-3);
    const y2 = reference(x, gamma, beta);
    expect(maxDiff(y1, y2)).toBeLessThan(1e-4);
    tf.dispose([x, gamma, beta, w, y1, y2, ...mine, ...ref]);
  });

  it('the first conv skips the image gradient unless inputGradients is asked for; kernel gradients are unchanged', () => {
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 21) as tf.Tensor4D;
    const k = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 22) as tf.Tensor4D;
    const g = (inputGrad: boolean) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(conv2dSame(a as tf.Tensor4D, b as tf.Tensor4D, 2, { inputGrad }))),
      )([x, k]);
    const [dxOff, dkOff] = g(false) as [tf.Tensor, tf.Tensor];
    const [dxOn, dkOn] = g(true) as [tf.Tensor, tf.Tensor];
    expect(tf.tidy(() => tf.max(tf.abs(dxOff)).dataSync()[0])).toBe(0);
    expect(tf.tidy(() => tf.max(tf.abs(dxOn)).dataSync()[0])).toBeGreaterThan(0);
    expect(maxDiff(dkOff, dkOn)).toBe(0);
    // Through SmallCnn: a saliency map exists only on request.
    const cnn = new SmallCnn({ ...config, coordChannels: true });
    const img = images(1, 23);
    const saliency = (inputGradients: boolean) =>
      tf.grad((a: tf.Tensor) =>
        tf.sum(cnn.features(a as tf.Tensor4D, { training: true, inputGradients }).pooled),
      )(img);
    const none = saliency(false);
    const some = saliency(true);
    expect(tf.tidy(() => tf.max(tf.abs(none)).dataSync()[0])).toBe(0);
    expect(tf.tidy(() => tf.max(tf.abs(some)).dataSync()[0])).toBeGreaterThan(0);
    tf.dispose([x, k, dxOff, dkOff, dxOn, dkOn, img, none, some]);
    cnn.dispose();
  });

  it('CoordConv computed as conv(rgb) + conv(xy at batch 1) equals the conv over the 5-channel image', () => {
    const cnn = new SmallCnn({ ...config, channels: [4], strides: [2], coordChannels: true });
    const x = images(2, 31);
    const kernel = cnn.getWeights()['block0/conv0/kernel'] as tf.Tensor4D;
    expect(kernel.shape).toEqual([3, 3, 5, 4]);
    const got = cnn.features(x).grid; // inference: moving mean 0, variance 1, gamma 1, beta 0
    const want = tf.tidy(() => {
      const z = tf.conv2d(appendCoords(tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D), kernel, 2, 'same');
      return tf.relu(tf.div(z, Math.sqrt(1 + 1e-3)));
    });
    expect(maxDiff(got, want)).toBeLessThan(1e-5);
    tf.dispose([x, got, want]);
    cnn.dispose();
  });

  it('folded inference equals the layer-by-layer path, follows weight changes, and leaks nothing', () => {
    for (const extra of [{}, { coordChannels: true }, { convsPerBlock: 2 }]) {
      const cnn = new SmallCnn({ ...config, ...extra });
      // Non-trivial batch-norm statistics and affine terms, so the folding has something to fold.
      const w = cnn.getWeights();
      const set: Record<string, tf.Tensor> = {};
      let k = 0;
      for (const [name, v] of Object.entries(w)) {
        k += 1;
        const r = tf.randomUniform(v.shape, 0, 1, 'float32', 100 + k);
        set[name] = name.endsWith('moving_variance')
          ? tf.add(r, 0.2)
          : name.endsWith('kernel')
            ? tf.clone(v)
            : tf.sub(r, 0.5);
        r.dispose();
      }
      cnn.setWeights(set);
      tf.dispose(Object.values(set));
      const x = images(3, 7, 24); // resized to 16 first, in both paths
      const a = cnn.features(x);
      // Built first inside a caller's tidy (as a captioner's decode does): must survive it.
      tf.tidy(() => {
        cnn.features(x, { folded: true });
      });
      const b = cnn.features(x, { folded: true });
      expect(b.grid.shape).toEqual(a.grid.shape);
      expect(maxDiff(a.grid, b.grid)).toBeLessThan(1e-4);
      expect(maxDiff(a.pooled, b.pooled)).toBeLessThan(1e-4);
      // Training mode ignores `folded`.
      const t1 = cnn.features(x, { training: true, folded: true });
      const t2 = cnn.features(x, { training: true });
      expect(maxDiff(t1.grid, t2.grid)).toBeLessThan(1e-6);
      // After a weight changes, the folded path uses the new value (the plan is rebuilt).
      const k0 = Object.keys(w).find((n) => n.endsWith('conv0/kernel')) as string;
      const doubled = tf.mul(w[k0] as tf.Tensor, 2);
      cnn.setWeights({ ...cnn.getWeights(), [k0]: doubled });
      doubled.dispose();
      const c = cnn.features(x);
      const d = cnn.features(x, { folded: true });
      expect(maxDiff(c.grid, a.grid)).toBeGreaterThan(1e-3);
      expect(maxDiff(c.grid, d.grid)).toBeLessThan(1e-4);
      // Repeated folded calls allocate nothing that stays.
      tf.dispose([a.grid, a.pooled, b.grid, b.pooled, t1.grid, t1.pooled, t2.grid, t2.pooled]);
      tf.dispose([c.grid, c.pooled, d.grid, d.pooled]);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        const f = cnn.features(x, { folded: true });
        tf.dispose([f.grid, f.pooled]);
      }
      expect(tf.memory().numTensors).toBe(before);
      // dispose() frees the folded constants too.
      const vars = Object.keys(cnn.getWeights()).length;
      cnn.dispose();
      x.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before - vars - 1);
    }
  });
});
