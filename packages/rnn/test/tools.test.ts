// Gradient tools (clipping, truncated BPTT, probe), gate recording, fused losses and embeddings.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  clipByGlobalNorm,
  clipByValue,
  embeddingLookup,
  gradientProbe,
  initGRUWeights,
  initLSTMWeights,
  initSimpleRNNWeights,
  lstm,
  lstmStates,
  recordLSTMGates,
  setFusedLstmKernels,
  sparseSoftmaxCrossEntropy,
  truncatedBptt,
} from '../src/index';
import { BACKENDS, checkGradient, expectClose, rand, useBackend } from './helpers';

describe.each(BACKENDS)('gradient tools on %s', (backend) => {
  beforeAll(async () => useBackend(backend));

  it('clipByGlobalNorm scales to maxNorm and reports the norm; below the limit it is identity', () => {
    const g = { a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) };
    const { grads, norm } = clipByGlobalNorm(g, 1);
    expect(norm).toBeCloseTo(5, 5);
    expectClose(grads.a as tf.Tensor, tf.tensor1d([0.6, 0]));
    expectClose(grads.b as tf.Tensor, tf.tensor2d([[0, 0.8]]));
    const arr = clipByGlobalNorm([g.a, g.b], 10);
    expect(arr.norm).toBeCloseTo(5, 5);
    expectClose(arr.grads[0] as tf.Tensor, g.a);
    const v = clipByValue(g, 2);
    expectClose(v.grads.b as tf.Tensor, tf.tensor2d([[0, 2]]));
    expect(() => clipByGlobalNorm(g, 0)).toThrow(/maxNorm > 0/);
  });

  it('truncatedBptt carries state across chunks but cuts gradients between them', () => {
    const w = initLSTMWeights(2, 3, { seed: 1 });
    const x = rand([2, 6, 2], 2) as tf.Tensor3D;
    const k = tf.variable(w.kernel);
    const seen: number[] = [];
    const { losses, state } = truncatedBptt({
      x,
      chunk: 4,
      initialState: [tf.zeros([2, 3]), tf.zeros([2, 3])],
      step: (cx, [h, c]) => {
        const r = lstm(
          cx,
          { ...w, kernel: k as tf.Tensor2D },
          { initialState: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } },
        );
        return { loss: tf.sum(r.h) as tf.Scalar, state: [r.h, r.c] };
      },
      onGrads: (g, i) => {
        seen.push(i);
        expect(Object.keys(g)).toEqual([k.name]);
      },
    });
    expect(seen).toEqual([0, 1]);
    expect(losses).toHaveLength(2);
    // Final state equals one uninterrupted run (forward values are carried exactly).
    const full = lstm(x, { ...w, kernel: k as tf.Tensor2D });
    expectClose(state[0] as tf.Tensor, full.h);
    // Gradient of chunk 2's loss w.r.t. its own incoming state exists, but chunk 1 only saw 4 steps:
    // with chunk = T the gradient differs from chunk = 2 (the cut removes paths).
    const gradWith = (chunk: number) => {
      let total: tf.Tensor = tf.zeros(k.shape);
      truncatedBptt({
        x,
        chunk,
        initialState: [tf.zeros([2, 3]), tf.zeros([2, 3])],
        step: (cx, [h, c]) => {
          const r = lstm(
            cx,
            { ...w, kernel: k as tf.Tensor2D },
            { initialState: { h: h as tf.Tensor2D, c: c as tf.Tensor2D } },
          );
          return { loss: tf.sum(r.h) as tf.Scalar, state: [r.h, r.c] };
        },
        onGrads: (g) => {
          total = tf.keep(tf.add(total, g[k.name] as tf.Tensor));
        },
      });
      return total;
    };
    const a = gradWith(6).dataSync();
    const b = gradWith(3).dataSync();
    let diff = 0;
    for (let i = 0; i < a.length; i++)
      diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
    expect(diff).toBeGreaterThan(1e-4);
  });

  it('gradientProbe: vanishing for a contractive SimpleRNN, exploding for IRNN with gain > 1, finite for LSTM and GRU', () => {
    const x = rand([2, 12, 3], 3, 0.1) as tf.Tensor3D;
    const small = initSimpleRNNWeights(3, 8, { seed: 4, recurrentGain: 0.5 });
    const big = initSimpleRNNWeights(3, 8, { recurrent: 'identity', recurrentGain: 1.5 });
    big.bias.dispose();
    big.bias = tf.fill([8], 0.5) as tf.Tensor1D; // keeps relu units active so the identity map amplifies
    const vanish = gradientProbe({ kind: 'simpleRNN', weights: small }, x);
    const explode = gradientProbe({ kind: 'simpleRNN', weights: big, activation: 'relu' }, x);
    expect(vanish).toHaveLength(12);
    expect(vanish[0] as number).toBeLessThan((vanish[11] as number) * 1e-2);
    expect(explode[0] as number).toBeGreaterThan((explode[11] as number) * 10);
    // The last step's gradient of sum(h_T) is all ones: norm sqrt(b*u).
    expect(vanish[11] as number).toBeCloseTo(4, 4);
    for (const model of [
      { kind: 'lstm', weights: initLSTMWeights(3, 8) },
      { kind: 'gru', weights: initGRUWeights(3, 8) },
    ] as const) {
      const n = gradientProbe(model, x);
      expect(n.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
    }
  });

  it('gradientProbe matches finite differences of an injected perturbation (SimpleRNN)', () => {
    const x = rand([1, 4, 2], 5) as tf.Tensor3D;
    const w = initSimpleRNNWeights(2, 3, { seed: 6 });
    const norms = gradientProbe(
      { kind: 'simpleRNN', weights: w },
      x,
      (hs) => tf.sum(tf.square(hs[3] as tf.Tensor)) as tf.Scalar,
    );
    expect(norms[3] as number).toBeGreaterThan(0);
    expect(norms.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('recordLSTMGates: gates in range, recorded h equals lstm output, masked steps carry state', () => {
    const w = initLSTMWeights(3, 4, { seed: 7 });
    const x = rand([2, 5, 3], 8) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [1, 1, 0, 0, 0],
    ]);
    const rec = recordLSTMGates(x, w, { mask });
    const ref = lstm(x, w, { mask });
    expectClose(tf.transpose(tf.tensor3d(rec.hidden), [1, 0, 2]), ref.sequence as tf.Tensor);
    for (const g of [rec.input, rec.forget, rec.output])
      expect(g.flat(2).every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(rec.candidate.flat(2).every((v) => v >= -1 && v <= 1)).toBe(true);
    expect(rec.cell[4]?.[1]).toEqual(rec.cell[1]?.[1]);
    expect(rec.forget[3]?.[1]?.every((v) => v === 0)).toBe(true);
  });

  it('lstmStates: h per step equals lstm sequence, c per step ends in the final c (masked, backwards)', () => {
    const w = initLSTMWeights(3, 4, { seed: 17 });
    const x = rand([2, 5, 3], 18) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
    ]);
    for (const goBackwards of [false, true]) {
      const all = lstmStates(x, w, { mask, goBackwards });
      const ref = lstm(x, w, { mask, goBackwards });
      expectClose(all.h, ref.sequence as tf.Tensor);
      expectClose(tf.squeeze(tf.slice(all.c, [0, 4, 0], [2, 1, 4]), [1]), ref.c);
    }
  });

  it.each([true, false])(
    'sparseSoftmaxCrossEntropy (fused %s) equals the dense formula; gradient matches finite differences',
    (fused) => {
      setFusedLstmKernels(fused);
      const logits = rand([5, 7], 9, 2) as tf.Tensor2D;
      const labels = tf.tensor1d([1, 0, 6, 3, 2], 'int32');
      const mask = tf.tensor1d([1, 1, 0, 1, 1]);
      const dense = (lg: tf.Tensor) =>
        tf.div(
          tf.neg(
            tf.sum(
              tf.mul(
                tf.sum(tf.mul(tf.logSoftmax(lg as tf.Tensor2D), tf.oneHot(labels, 7)), 1),
                mask,
              ),
            ),
          ),
          tf.sum(mask),
        ) as tf.Scalar;
      expectClose(sparseSoftmaxCrossEntropy(logits, labels, mask), dense(logits));
      const [g] = tf.grads((lg: tf.Tensor) =>
        sparseSoftmaxCrossEntropy(lg as tf.Tensor2D, labels, mask),
      )([logits]);
      const [gd] = tf.grads(dense)([logits]);
      expectClose(g as tf.Tensor, gd as tf.Tensor);
      checkGradient(
        (lg) => sparseSoftmaxCrossEntropy(lg as tf.Tensor2D, labels, mask),
        logits,
        g as tf.Tensor,
      );
    },
  );

  it('embedding gradients work (UnsortedSegmentSum) and accumulate repeated ids', () => {
    const table = rand([6, 3], 10) as tf.Tensor2D;
    const ids = tf.tensor2d(
      [
        [1, 2, 1],
        [5, 1, 0],
      ],
      [2, 3],
      'int32',
    );
    const [g] = tf.grads((t: tf.Tensor) => tf.sum(embeddingLookup(t as tf.Tensor2D, ids)))([table]);
    expectClose(
      g as tf.Tensor,
      tf.tensor2d([
        [1, 1, 1],
        [3, 3, 3],
        [1, 1, 1],
        [0, 0, 0],
        [0, 0, 0],
        [1, 1, 1],
      ]),
    );
    const before = tf.memory().numTensors;
    tf.dispose(tf.grads((t: tf.Tensor) => tf.sum(embeddingLookup(t as tf.Tensor2D, ids)))([table]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
