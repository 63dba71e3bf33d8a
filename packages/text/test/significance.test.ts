// Paired bootstrap: sufficient statistics sum to corpus BLEU; identical systems are never
// significant, a clearly better one is; seeded; shape errors refused.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bleuFromStats, bleuOfRows, bleuStats, corpusBleu } from '../src/bleu';
import { Rng } from '../src/random';
import { PAIRED_BOOTSTRAP_SEED, pairedBootstrap } from '../src/significance';

const words = ['the', 'file', 'was', 'saved', 'open', 'a', 'new', 'window', 'now', '.', ','];
const sentence = fc
  .array(fc.constantFrom(...words), { minLength: 0, maxLength: 12 })
  .map((w) => w.join(' '));

/** n random reference sentences (seeded). */
function references(n: number, seed: number): string[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: 4 + rng.int(8) }, () => words[rng.int(words.length)] as string),
  );
}

/** A noisy copy of each reference: each word dropped or replaced with probability p. */
function noisy(refs: string[][], p: number, seed: number): string[] {
  const rng = new Rng(seed);
  return refs.map((ref) =>
    ref
      .flatMap((w) => {
        if (rng.next() >= p) return [w];
        return rng.next() < 0.5 ? [] : [words[rng.int(words.length)] as string];
      })
      .join(' '),
  );
}

function corpus(n: number, p: number, seed: number): { refs: string[]; hyps: string[] } {
  const r = references(n, seed);
  return { refs: r.map((w) => w.join(' ')), hyps: noisy(r, p, seed + 100) };
}

describe('bleuStats / bleuFromStats', () => {
  it('summed rows give corpusBleu exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(sentence, sentence), { minLength: 1, maxLength: 20 }),
        (pairs) => {
          const hyps = pairs.map((p) => p[0]);
          const refs = [pairs.map((p) => p[1])];
          const rows = bleuStats(hyps, refs);
          expect(rows.length).toBe(10 * hyps.length);
          const sum = new Float64Array(10);
          rows.forEach((x, i) => {
            sum[i % 10] = (sum[i % 10] as number) + x;
          });
          expect(bleuFromStats(sum).score).toBe(corpusBleu(hyps, refs).score);
          // A resample: the first sentence twice is the corpus of that sentence twice.
          const first = [hyps[0] as string, hyps[0] as string];
          const firstRefs = [[refs[0]?.[0] as string, refs[0]?.[0] as string]];
          expect(bleuOfRows(rows, 2, () => 0).score).toBe(corpusBleu(first, firstRefs).score);
        },
      ),
      { numRuns: 200 },
    );
    expect(() => bleuFromStats([1, 2, 3])).toThrow(
      /expected 10 statistics \(maxNgramOrder 4\), got 3/,
    );
  });
});

describe('pairedBootstrap', () => {
  it('a system against itself: difference 0, p = 1', () => {
    const { refs, hyps } = corpus(200, 0.3, 1);
    const r = pairedBootstrap(hyps, hyps, [refs], { samples: 200 });
    expect(r.delta).toBe(0);
    expect(r.ci95).toEqual([0, 0]);
    expect(r.pValue).toBe(1);
    expect(r.sentences).toBe(200);
    expect(r.seed).toBe(PAIRED_BOOTSTRAP_SEED);
  });

  it('a clearly better system is significant, its interval excludes 0; an equally noisy one is not', () => {
    const r0 = references(300, 2);
    const refs = [r0.map((w) => w.join(' '))];
    const bad = noisy(r0, 0.4, 1);
    const good = noisy(r0, 0.1, 1);
    const r = pairedBootstrap(bad, good, refs, { samples: 300 });
    expect(r.delta).toBeGreaterThan(10);
    expect(r.bleuA).toBeCloseTo(corpusBleu(bad, refs).score, 10);
    expect(r.ci95[0]).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.01);
    // The same noise level, another draw: the interval straddles 0 and p is large.
    const q = pairedBootstrap(bad, noisy(r0, 0.4, 2), refs, { samples: 300 });
    expect(q.ci95[0]).toBeLessThan(0);
    expect(q.ci95[1]).toBeGreaterThan(0);
    expect(q.pValue).toBeGreaterThan(0.05);
  });

  it('is deterministic in the seed', () => {
    const a = corpus(100, 0.3, 4);
    const b = corpus(100, 0.2, 4);
    const r1 = pairedBootstrap(a.hyps, b.hyps, [a.refs], { samples: 100, seed: 7 });
    const r2 = pairedBootstrap(a.hyps, b.hyps, [a.refs], { samples: 100, seed: 7 });
    expect(r2).toEqual(r1);
    expect(pairedBootstrap(a.hyps, b.hyps, [a.refs], { samples: 100, seed: 8 }).ci95).not.toEqual(
      r1.ci95,
    );
  });

  it('refuses systems of different lengths, no sentences and a bad sample count', () => {
    expect(() => pairedBootstrap(['a'], ['a', 'b'], [['a']])).toThrow(
      /system A has 1 hypotheses and system B 2/,
    );
    expect(() => pairedBootstrap([], [], [[]])).toThrow(/at least one sentence/);
    expect(() => pairedBootstrap(['a'], ['a'], [['a']], { samples: 0 })).toThrow(
      /samples must be a positive integer, got 0/,
    );
    expect(() => pairedBootstrap(['a', 'b'], ['a', 'b'], [['a']])).toThrow(
      /reference stream 0 has 1 lines, expected 2/,
    );
  });
});
