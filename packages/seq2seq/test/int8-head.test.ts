// The int8 output layer: kernel bits (SIMD = JS), proven error bounds, exact refinement, the SIMD
// log-sum-exp, and decoding with the head picking the same tokens as the float32 layer.

import { BOS, PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { logNormalizer, logNormalizerJs } from '../src/decode/select';
import { type FastDecoder, Int8Head, int8HeadSimdAvailable, Seq2Seq } from '../src/index';
import { beamSearch, boostEos, fastDecoder, greedy, TINY, useCpu } from './helpers';

beforeAll(useCpu);

/** Deterministic pseudo-random floats in [-a, a]. */
function floats(n: number, seed: number, a = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (((s >>> 0) / 2 ** 32) * 2 - 1) * a;
  }
  return out;
}

/** h · W + b in float64, W [K, V] row-major. */
function exact64(w: Float32Array, b: Float32Array, h: Float32Array, K: number, V: number) {
  const rows = h.length / K;
  const out = new Float64Array(rows * V);
  for (let r = 0; r < rows; r++)
    for (let j = 0; j < V; j++) {
      let s = b[j] as number;
      for (let k = 0; k < K; k++) s += (w[k * V + j] as number) * (h[r * K + k] as number);
      out[r * V + j] = s;
    }
  return out;
}

const shape = fc.record({
  K: fc.integer({ min: 1, max: 70 }),
  V: fc.integer({ min: 1, max: 40 }),
  rows: fc.integer({ min: 1, max: 5 }),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  wScale: fc.constantFrom(1e-3, 0.3, 5),
  hScale: fc.constantFrom(1e-4, 1, 30),
});

function build(p: {
  K: number;
  V: number;
  rows: number;
  seed: number;
  wScale: number;
  hScale: number;
}) {
  const w = floats(p.K * p.V, p.seed, p.wScale);
  if (p.V > 2) for (let k = 0; k < p.K; k++) w[k * p.V + 2] = 0; // an all-zero column
  const b = floats(p.V, p.seed + 1, 0.5);
  const h = floats(p.rows * p.K, p.seed + 2, p.hScale);
  return { w, b, h };
}

describe('Int8Head', () => {
  test('Node 20 runs the SIMD kernel', () => {
    expect(int8HeadSimdAvailable()).toBe(true);
    const head = Int8Head.fromDense(floats(8, 1), floats(2, 2), 4, 2);
    expect(head.simd).toBe(true);
    expect(Int8Head.fromDense(floats(8, 1), floats(2, 2), 4, 2, { simd: false }).simd).toBe(false);
  });

  test('the SIMD kernel and the JS fallback give the same bits', () => {
    fc.assert(
      fc.property(shape, (p) => {
        const { w, b, h } = build(p);
        const simd = Int8Head.fromDense(w, b, p.K, p.V).logits(h, p.rows);
        const js = Int8Head.fromDense(w, b, p.K, p.V, { simd: false }).logits(h, p.rows);
        expect(Array.from(simd.logits)).toEqual(Array.from(js.logits));
        expect(Array.from(simd.bounds)).toEqual(Array.from(js.bounds));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  test('every logit is within its row bound of the exact value, and the bound is tight enough to use', () => {
    fc.assert(
      fc.property(shape, (p) => {
        const { w, b, h } = build(p);
        const { logits, bounds } = Int8Head.fromDense(w, b, p.K, p.V).logits(h, p.rows);
        const ref = exact64(w, b, h, p.K, p.V);
        for (let r = 0; r < p.rows; r++)
          for (let j = 0; j < p.V; j++) {
            const err = Math.abs((logits[r * p.V + j] as number) - (ref[r * p.V + j] as number));
            expect(err).toBeLessThanOrEqual(bounds[r] as number);
          }
      }),
      { numRuns: 80, seed: 12 },
    );
    // A decoder-sized layer: the bound is a small fraction of the logits' spread.
    const [K, V] = [128, 500];
    const w = floats(K * V, 3, 0.2);
    const { bounds, logits } = Int8Head.fromDense(w, floats(V, 4), K, V).logits(floats(K, 5), 1);
    const spread = Math.max(...logits) - Math.min(...logits);
    expect(bounds[0]).toBeLessThan(spread / 10);
  });

  test('refine makes the n best allowed ids, and their order, those of the exact layer', () => {
    fc.assert(
      fc.property(
        shape,
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 39 }), { minLength: 1, maxLength: 12 })),
        (p, n, allowedList) => {
          const { w, b, h } = build({ ...p, wScale: 0.3, hScale: 1 });
          // Near twins: every odd column is its neighbour plus a nudge below the int8 step, so
          // approximate and exact orders disagree often.
          const nudge = floats(p.K * p.V, p.seed + 3, 2e-3);
          for (let k = 0; k < p.K; k++)
            for (let j = 1; j < p.V; j += 2)
              w[k * p.V + j] = (w[k * p.V + j - 1] as number) + (nudge[k * p.V + j] as number);
          b.fill(0);
          const head = Int8Head.fromDense(w, b, p.K, p.V);
          const { logits, bounds } = head.logits(h, p.rows);
          const allowed = allowedList ? new Set(allowedList.filter((j) => j < p.V)) : null;
          const ok = (j: number) => j !== PAD && j !== BOS && (!allowed || allowed.has(j));
          const best = (value: (j: number) => number) =>
            Array.from({ length: p.V }, (_, j) => j)
              .filter(ok)
              .sort((x, y) => value(y) - value(x) || x - y)
              .slice(0, n);
          for (let r = 0; r < p.rows; r++) {
            head.refine(logits, h, r, bounds[r] as number, n, allowed);
            const got = best((j) => logits[r * p.V + j] as number);
            const want = best((j) => head.exactLogit(h, r, j));
            expect(got).toEqual(want);
            for (const j of got) expect(logits[r * p.V + j]).toBe(head.exactLogit(h, r, j));
          }
        },
      ),
      { numRuns: 120, seed: 13 },
    );
  });

  test('sums stay exact for wide inputs (int32 never overflows)', () => {
    const [K, V] = [1000, 8];
    const w = new Float32Array(K * V).fill(0.7);
    const h = new Float32Array(K).fill(-3);
    const { logits, bounds } = Int8Head.fromDense(w, new Float32Array(V), K, V).logits(h, 1);
    const js = Int8Head.fromDense(w, new Float32Array(V), K, V, { simd: false }).logits(h, 1);
    expect(Array.from(logits)).toEqual(Array.from(js.logits));
    for (const v of logits) expect(Math.abs(v - -2100)).toBeLessThanOrEqual(bounds[0] as number);
  });

  test('non-finite inputs give NaN rows; bad sizes, non-finite weights and use after dispose throw', () => {
    const head = Int8Head.fromDense(floats(12, 1), floats(3, 2), 4, 3);
    const h = new Float32Array([1, 2, 3, 4, 1, Number.NaN, 0, 0]);
    const { logits, bounds } = head.logits(h, 2);
    expect(Array.from(logits.subarray(3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(logits.subarray(0, 3)).every(Number.isFinite)).toBe(true);
    expect(bounds[1]).toBeNaN();
    expect(head.refine(logits, h, 1, bounds[1] as number, 1, null)).toBe(0);
    h[5] = Number.POSITIVE_INFINITY;
    expect(Number.isNaN(head.logits(h, 2).logits[4] as number)).toBe(true);
    expect(() => head.logits(new Float32Array(5), 2)).toThrow(/expected h of 2 × 4 values, got 5/);
    expect(() => Int8Head.fromDense(floats(11, 1), floats(3, 2), 4, 3)).toThrow(
      /expected 4×3 = 12 weights, got 11/,
    );
    expect(() => Int8Head.fromDense(floats(12, 1), floats(2, 2), 4, 3)).toThrow(
      /expected 3 biases, got 2/,
    );
    const bad = floats(12, 1);
    bad[7] = Number.NaN; // k = 2, id 1
    expect(() => Int8Head.fromDense(bad, floats(3, 2), 4, 3)).toThrow(
      /finite; found NaN in column 1/,
    );
    expect(() => Int8Head.fromDense(bad, floats(3, 2), 4, 3, { simd: false })).toThrow(
      /finite; found NaN at index 7/,
    );
    bad[7] = Number.NEGATIVE_INFINITY;
    expect(() => Int8Head.fromDense(bad, floats(3, 2), 4, 3)).toThrow(/found Infinity in column 1/);
    const badBias = floats(3, 2);
    badBias[2] = Number.POSITIVE_INFINITY;
    expect(() => Int8Head.fromDense(floats(12, 1), badBias, 4, 3)).toThrow(
      /found Infinity at index 2/,
    );
    head.dispose();
    expect(() => head.logits(new Float32Array(4), 1)).toThrow(/after dispose/);
  });
});

describe('SIMD log-sum-exp', () => {
  test('matches the Math.exp version to 1e-6, with NaN and -Infinity handled alike', () => {
    for (const [n, a, seed] of [
      [4000, 10, 1],
      [4001, 100, 2],
      [67, 0.01, 3],
      [300, 60, 4],
    ] as const) {
      const row = floats(n, seed, a);
      expect(Math.abs(logNormalizer(row) - logNormalizerJs(row))).toBeLessThan(
        1e-6 * (1 + Math.abs(logNormalizerJs(row))),
      );
    }
    const nan = floats(100, 5);
    nan[40] = Number.NaN;
    expect(logNormalizer(nan)).toBeNaN();
    const oneFinite = new Float32Array(100).fill(Number.NEGATIVE_INFINITY);
    oneFinite[9] = 2.5;
    expect(logNormalizer(oneFinite)).toBeCloseTo(2.5, 6);
    expect(logNormalizer(new Float32Array(100).fill(Number.NEGATIVE_INFINITY))).toBeNaN();
    expect(logNormalizerJs(new Float32Array(100).fill(Number.NEGATIVE_INFINITY))).toBeNaN();
  });
});

describe('decoding with the int8 head', () => {
  const SRC = [
    [5, 6, 7, 2],
    [8, 9, 2],
    [10, 11, 12, 13, 2],
  ];
  // A vocabulary big enough for near ties between the layer's approximate logits.
  const CFG = { ...TINY, srcVocab: 16, tgtVocab: 300, hidden: 24, maxLen: 10 };

  for (const tieEmbeddings of [false, true]) {
    test(`greedy and beam pick the float32 layer's tokens${tieEmbeddings ? ' (tied embeddings)' : ''}`, async () => {
      const model = new Seq2Seq({ ...CFG, tieEmbeddings, seed: 17 });
      boostEos(model, 0.5);
      const allowedTokens = (step: number) => (step === 1 ? [4, 7, 9, 2] : null);
      let fast: FastDecoder | null = null;
      const greedyRun = (o = {}) => greedy(model, SRC, { hostSelect: true, fast, ...o });
      const beam = (o = {}) =>
        beamSearch(model, SRC, { beamWidth: 4, nBest: 4, hostSelect: true, fast, ...o });
      const plain = {
        greedy: [await greedyRun(), await greedyRun({ allowedTokens })],
        beam: await beam(),
      };
      fast = fastDecoder(model, { int8Head: true });
      expect(fast.head?.vocab).toBe(300);
      expect(fast.decoder).toBeNull();
      const int8 = {
        greedy: [await greedyRun(), await greedyRun({ allowedTokens })],
        beam: await beam(),
      };
      for (const [k, runs] of plain.greedy.entries())
        for (const [r, row] of runs.entries()) {
          const other = int8.greedy[k]?.[r];
          expect(other?.tokens).toEqual(row.tokens);
          expect(other?.logProb).toBeCloseTo(row.logProb, 3);
          expect(other?.attention).toEqual(row.attention);
        }
      for (const [r, list] of plain.beam.entries())
        for (const [j, hyp] of list.entries()) {
          expect(int8.beam[r]?.[j]?.tokens).toEqual(hyp.tokens);
          expect(int8.beam[r]?.[j]?.logProb).toBeCloseTo(hyp.logProb, 3);
        }
      fast.dispose();
      model.dispose();
    });
  }

  test('no tensor leaks with the head; dispose drops it', async () => {
    const model = new Seq2Seq({ ...CFG, seed: 4 });
    const fast = fastDecoder(model, { int8Head: true });
    await greedy(model, SRC, { fast });
    const before = tf.memory().numTensors;
    await greedy(model, SRC, { hostSelect: true, fast });
    await beamSearch(model, SRC, { beamWidth: 3, nBest: 2, hostSelect: true, fast });
    await expect(
      greedy(model, [[5, 2]], { hostSelect: true, allowedTokens: () => [], fast }),
    ).rejects.toThrow(/empty list/);
    expect(tf.memory().numTensors).toBe(before);
    const head = fast.head;
    expect(head).not.toBeNull();
    fast.dispose();
    model.dispose();
    expect(() => head?.logits(new Float32Array(24), 1)).toThrow(/after dispose/);
  });
});
