// Greedy and beam search: agreement, n-best ordering, exact scores, constraints, no leaks, dispose guard.

import { EOS } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { generate, lengthNorm, Seq2Seq } from '../src/index';
import { beamSearch, boostEos, greedy, TINY, useCpu } from './helpers';

beforeAll(useCpu);

const SRC = [
  [5, 6, 7, 2],
  [8, 9, 2],
  [10, 2],
];

describe('decoding', () => {
  for (const attention of ['additive', 'dot', 'none'] as const) {
    test(`${attention}: beam width 1 equals greedy (tokens and log-prob)`, async () => {
      const model = new Seq2Seq({ ...TINY, attention, seed: 21 });
      const greedyOut = await greedy(model, SRC);
      const beam = await beamSearch(model, SRC, { beamWidth: 1, nBest: 1, lengthPenalty: 0 });
      for (let i = 0; i < SRC.length; i++) {
        expect(beam[i]?.[0]?.tokens).toEqual(greedyOut[i]?.tokens);
        expect(beam[i]?.[0]?.logProb).toBeCloseTo(greedyOut[i]?.logProb as number, 4);
        expect(beam[i]?.[0]?.attention.length).toBe(greedyOut[i]?.attention.length);
      }
      model.dispose();
    });
  }

  test('host-side and device-side greedy selection give the same tokens, log-probs and attention', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 8, maxLen: 12 });
    boostEos(model, 1);
    const forced = [9, 9, 4];
    for (const allowedTokens of [
      undefined,
      (step: number, prefix: readonly number[]) =>
        prefix.length % 2 === 0 ? null : [step < forced.length ? (forced[step] as number) : EOS, 7],
    ]) {
      const host = await greedy(model, SRC, {
        hostSelect: true,
        ...(allowedTokens ? { allowedTokens } : {}),
      });
      const device = await greedy(model, SRC, {
        hostSelect: false,
        syncEvery: 1,
        ...(allowedTokens ? { allowedTokens } : {}),
      });
      expect(host.some((r) => r.finished)).toBe(true);
      for (const [i, h] of host.entries()) {
        const d = device[i];
        expect(h.tokens).toEqual(d?.tokens);
        expect(h.finished).toBe(d?.finished);
        expect(h.logProb).toBeCloseTo(d?.logProb as number, 4);
        expect(h.attention.length).toBe(d?.attention.length);
        for (const [t, row] of h.attention.entries())
          for (const [j, v] of row.entries())
            expect(v).toBeCloseTo(d?.attention[t]?.[j] as number, 5);
      }
    }
    model.dispose();
  });

  test('host-side and device-side beam selection give the same n-best lists', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 5 });
    boostEos(model, 1.5);
    const allowedTokens = (_step: number, prefix: readonly number[]) =>
      prefix.length === 1 ? [4, 7, EOS] : null;
    for (const extra of [{}, { allowedTokens }]) {
      const run = (hostSelect: boolean) =>
        beamSearch(model, [SRC[0] as number[], SRC[2] as number[]], {
          beamWidth: 4,
          nBest: 4,
          lengthPenalty: 0.6,
          maxLen: 6,
          hostSelect,
          ...extra,
        });
      const [host, device] = [await run(true), await run(false)];
      for (const [i, list] of host.entries()) {
        expect(list.length).toBe(device[i]?.length);
        list.forEach((h, j) => {
          const d = device[i]?.[j];
          expect(h.tokens).toEqual(d?.tokens);
          expect(h.finished).toBe(d?.finished);
          expect(h.logProb).toBeCloseTo(d?.logProb as number, 4);
          expect(h.attention.length).toBe(d?.attention.length);
        });
      }
    }
    model.dispose();
  });

  test('n-best is sorted by score, scores are the recomputed log-probs, attention is [tgtLen, srcLen]', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 5 });
    boostEos(model, 1.5);
    for (const alpha of [0, 0.6]) {
      const [nbest] = await beamSearch(model, [SRC[0] as number[]], {
        beamWidth: 4,
        nBest: 4,
        lengthPenalty: alpha,
        maxLen: 6,
      });
      expect(nbest?.length).toBe(4);
      const hyps = nbest ?? [];
      for (let i = 1; i < hyps.length; i++)
        expect((hyps[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
          (hyps[i] as { score: number }).score,
        );
      const finished = hyps.filter((h) => h.finished);
      expect(finished.length).toBeGreaterThanOrEqual(2);
      const rescored = await model.scoreSequences(
        finished.map(() => SRC[0] as number[]),
        finished.map((h) => [...h.tokens, EOS]),
      );
      finished.forEach((h, i) => {
        expect(h.logProb).toBeCloseTo(rescored[i] as number, 4);
        expect(h.score).toBeCloseTo(lengthNorm(h.logProb, h.tokens.length + 1, alpha), 6);
        expect(h.attention.length).toBe(h.tokens.length + 1);
        for (const row of h.attention) {
          expect(row.length).toBe(4);
          expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        }
      });
      // Unique hypotheses.
      expect(new Set(hyps.map((h) => h.tokens.join(','))).size).toBe(hyps.length);
    }
    model.dispose();
  });

  test('greedy log-prob equals the teacher-forced score of its output', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 8, maxLen: 12 });
    boostEos(model, 1);
    const out = await greedy(model, SRC);
    const done = out.map((r, i) => ({ r, i })).filter((x) => x.r.finished);
    expect(done.length).toBeGreaterThan(0);
    const rescored = await model.scoreSequences(
      done.map((x) => SRC[x.i] as number[]),
      done.map((x) => [...x.r.tokens, EOS]),
    );
    for (const [k, x] of done.entries()) expect(x.r.logProb).toBeCloseTo(rescored[k] as number, 4);
    model.dispose();
  });

  test('allowedTokens constrains greedy and beam outputs', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 4 });
    const forced = [9, 9, 4];
    const allowedTokens = (step: number) => [step < forced.length ? (forced[step] as number) : EOS];
    const g = await greedy(model, SRC, { allowedTokens });
    for (const r of g) expect(r.tokens).toEqual(forced);
    const [b] = await beamSearch(model, [SRC[1] as number[]], {
      beamWidth: 3,
      nBest: 1,
      allowedTokens,
    });
    expect(b?.[0]?.tokens).toEqual(forced);
    model.dispose();
  });

  test('no tensor leaks in greedy, beam, scoring and forward', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 2 });
    await greedy(model, SRC); // warm-up allocations of the backend
    const before = tf.memory().numTensors;
    await greedy(model, SRC, { syncEvery: 1, hostSelect: false });
    await greedy(model, SRC, { hostSelect: true });
    await beamSearch(model, SRC, { beamWidth: 3, nBest: 2, hostSelect: true });
    await beamSearch(model, SRC, { beamWidth: 3, nBest: 2, hostSelect: false });
    await model.scoreSequences([[5, 2]], [[6, 2]]);
    await greedy(model, SRC, { allowedTokens: () => null });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  test('use after dispose gives a clear error', async () => {
    const model = new Seq2Seq(TINY);
    model.dispose();
    await expect(greedy(model, SRC)).rejects.toThrow(/after dispose/);
    await expect(generate(model, SRC)).rejects.toThrow(/Seq2Seq: model used after dispose/);
    await expect(generate(model, SRC, { beam: 2 })).rejects.toThrow(
      /Seq2Seq: model used after dispose/,
    );
    expect(() =>
      model.loss({ src: [[5, 2]], tgt: [[5, 2]] }, { training: false, seed: 0 }),
    ).toThrow(/after dispose/);
  });

  test('bad decoding options give specific errors', async () => {
    const model = new Seq2Seq(TINY);
    await expect(beamSearch(model, [[5, 2]], { beamWidth: 2, nBest: 3 })).rejects.toThrow(
      /nBest must be an integer in \[1, beamWidth=2\]/,
    );
    for (const hostSelect of [true, false]) {
      const before = tf.memory().numTensors;
      await expect(
        beamSearch(model, [[5, 2]], { beamWidth: 2, allowedTokens: () => [], hostSelect }),
      ).rejects.toThrow(/empty list/);
      expect(tf.memory().numTensors).toBe(before);
      await expect(
        greedy(model, [[5, 2]], { allowedTokens: () => [], hostSelect }),
      ).rejects.toThrow(/empty list/);
      await expect(
        greedy(model, [[5, 2]], { allowedTokens: () => [99999], hostSelect }),
      ).rejects.toThrow(/outside \[0, /);
    }
    model.dispose();
  });
});

describe('architecture variants', () => {
  test('stacked, unidirectional, tied-embedding model: consistent decoding and trainable', async () => {
    const model = new Seq2Seq({
      ...TINY,
      encoderLayers: 2,
      decoderLayers: 2,
      bidirectional: false,
      tieEmbeddings: true,
      attention: 'dot',
      seed: 13,
    });
    expect(model.params.names()).toContain('encoder/layer1/fwd/kernel');
    expect(model.params.names()).toContain('decoder/layer1/kernel');
    expect(model.params.shapes()['decoder/out/kernel']).toEqual([TINY.hidden, TINY.embDim]);
    boostEos(model, 1);
    const greedyOut = await greedy(model, SRC);
    const beam = await beamSearch(model, SRC, { beamWidth: 1, lengthPenalty: 0 });
    for (const [i, g] of greedyOut.entries()) expect(beam[i]?.[0]?.tokens).toEqual(g.tokens);
    const done = greedyOut.map((r, i) => ({ r, i })).filter((x) => x.r.finished);
    expect(done.length).toBeGreaterThan(0);
    const rescored = await model.scoreSequences(
      done.map((x) => SRC[x.i] as number[]),
      done.map((x) => [...x.r.tokens, EOS]),
    );
    for (const [k, x] of done.entries()) expect(x.r.logProb).toBeCloseTo(rescored[k] as number, 4);
    model.dispose();
  });
});
