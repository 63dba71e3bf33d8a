// Reliability class 6 (decoding): the repetition guard cuts a hypothesis that looped until maxLen back to one copy, the same way on every decoding path, and changes nothing that ended with EOS.
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { repeatCut } from '../src/decode/repeat';
import { DECODE_DEFAULTS, type GreedyResult, type Hypothesis, Seq2Seq } from '../src/index';
import { beamSearch, boostEos, fastDecoder, greedy, TINY, useCpu } from './helpers';

beforeAll(useCpu);

const GUARD = DECODE_DEFAULTS.repeatTokens;

/** Whether any prefix of `tokens` ends in a loop the guard would cut. */
function loopsAnywhere(tokens: readonly number[]): boolean {
  for (let n = 1; n <= tokens.length; n++)
    if (repeatCut(tokens.slice(0, n), GUARD) >= 0) return true;
  return false;
}

describe('repeatCut', () => {
  test('cuts every loop long enough back to what came before it plus one copy', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 4, max: 30 }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 4, max: 30 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 2, max: 10 }),
        fc.nat(),
        (prefix, span, copies, partial) => {
          fc.pre(span.length * copies >= GUARD);
          const tail = span.slice(0, partial % span.length); // a loop may stop mid-copy at maxLen
          const tokens = [...prefix, ...Array.from({ length: copies }, () => span).flat(), ...tail];
          const cut = repeatCut(tokens, GUARD);
          // At most the prefix and one copy are kept, and the rest continues what is kept with some period.
          expect(cut).toBeGreaterThanOrEqual(1);
          expect(cut).toBeLessThanOrEqual(prefix.length + span.length);
          const period = [...Array(cut).keys()]
            .map((k) => k + 1)
            .find((k) => tokens.every((t, i) => i < cut || t === tokens[i - k]));
          expect(period).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('never cuts text without back-to-back copies covering the threshold', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 4, max: 2000 }), { maxLength: 60 }), (tokens) => {
        // Distinct tokens with every third one doubled: short copies only ("bye-bye", "%s %s").
        const distinct = [...new Set(tokens)];
        expect(loopsAnywhere(distinct)).toBe(false);
        expect(loopsAnywhere(distinct.flatMap((t, i) => (i % 3 === 0 ? [t, t] : [t])))).toBe(false);
      }),
      { numRuns: 300 },
    );
    expect(repeatCut([5, 5, 5, 5, 5, 5, 5], GUARD)).toBe(-1); // 7 identical tokens: not yet
    expect(repeatCut([5, 5, 5, 5, 5, 5, 5, 5], GUARD)).toBe(1);
    expect(repeatCut([9, 1, 2, 3, 4, 1, 2, 3, 4, 1], GUARD)).toBe(5);
    expect(repeatCut([1, 2, 3, 1, 2, 3], GUARD)).toBe(-1); // 2 copies of 3: 6 tokens
    expect(repeatCut([1, 2, 3, 1, 2, 3, 1, 2, 3], GUARD)).toBe(3);
    expect(repeatCut([5, 5, 5, 5, 5, 5, 5, 5], 0)).toBe(-1); // off
  });
});

const SRC = [
  [5, 6, 7, 2],
  [8, 9, 2],
  [4, 4, 10, 11, 2],
  [11, 2],
];
const MAX_LEN = 40;

type Path = 'tensor' | 'host select' | 'host decoder';

async function greedyOn(model: Seq2Seq, path: Path, repeatTokens: number): Promise<GreedyResult[]> {
  const base = { maxLen: MAX_LEN, repeatTokens };
  if (path === 'tensor') return greedy(model, SRC, { ...base, hostSelect: false });
  if (path === 'host select') return greedy(model, SRC, { ...base, hostSelect: true });
  const fast = fastDecoder(model, { hostDecoder: true });
  try {
    return await greedy(model, SRC, { ...base, hostSelect: true, fast });
  } finally {
    fast.dispose();
  }
}

async function beamOn(
  model: Seq2Seq,
  host: boolean,
  repeatTokens: number,
): Promise<Hypothesis[][]> {
  const base = { maxLen: MAX_LEN, repeatTokens, beamWidth: 3, nBest: 3, lengthPenalty: 0.6 };
  if (!host) return beamSearch(model, SRC, { ...base, hostSelect: false });
  const fast = fastDecoder(model, { hostDecoder: true });
  try {
    return await beamSearch(model, SRC, { ...base, hostSelect: true, fast });
  } finally {
    fast.dispose();
  }
}

/** What must match across paths exactly: tokens and how each row ended; log-probabilities to float error. */
function same(
  a: { tokens: number[]; logProb: number; finished: boolean; repeated?: boolean },
  b: typeof a,
  what: string,
) {
  expect(a.tokens, what).toEqual(b.tokens);
  expect(a.finished, what).toBe(b.finished);
  expect(a.repeated ?? false, what).toBe(b.repeated ?? false);
  expect(a.logProb, what).toBeCloseTo(b.logProb, 3);
}

// Untrained decoders, some with EOS boosted: loops until maxLen and early ends, both.
const MODELS = [1, 2, 3, 4, 5, 6].map((seed) => ({ seed, eos: seed % 2 ? 0 : 2.5 }));

describe('decoding with the guard', () => {
  test('greedy: a row that loops to maxLen is cut to one copy on every path; rows that ended are untouched', async () => {
    let looped = 0;
    let ended = 0;
    for (const { seed, eos } of MODELS) {
      const model = new Seq2Seq({ ...TINY, maxLen: MAX_LEN, seed });
      boostEos(model, eos);
      const tensorOn = await greedyOn(model, 'tensor', GUARD);
      for (const path of ['tensor', 'host select', 'host decoder'] as const) {
        const off = await greedyOn(model, path, 0);
        const on = await greedyOn(model, path, GUARD);
        off.forEach((o, r) => {
          const got = on[r] as GreedyResult;
          const what = `${path}, seed ${seed}, row ${r}`;
          same(got, tensorOn[r] as GreedyResult, what);
          const cut = o.finished ? -1 : repeatCut(o.tokens, GUARD);
          if (cut < 0) {
            if (o.finished) ended++;
            expect(got, what).toEqual(o); // untouched, bit for bit
            return;
          }
          looped++;
          expect(got.tokens, what).toEqual(o.tokens.slice(0, cut));
          expect(got.repeated, what).toBe(true);
          expect(got.finished, what).toBe(false);
          expect(got.attention, what).toEqual(o.attention.slice(0, cut));
          expect(got.logProb, what).toBeGreaterThan(o.logProb); // fewer tokens, each log p < 0
        });
      }
      model.dispose();
    }
    expect(looped).toBeGreaterThan(0);
    expect(ended).toBeGreaterThan(0);
  });

  test('beam search: finished hypotheses untouched, live ones cut, tensors and host agree', async () => {
    let cut = 0;
    for (const { seed, eos } of MODELS) {
      const model = new Seq2Seq({ ...TINY, maxLen: MAX_LEN, seed });
      boostEos(model, eos);
      const tensorOn = await beamOn(model, false, GUARD);
      for (const host of [false, true]) {
        const off = await beamOn(model, host, 0);
        const on = await beamOn(model, host, GUARD);
        on.forEach((hyps, r) => {
          const what = `${host ? 'host' : 'tensor'}, seed ${seed}, row ${r}`;
          for (const [i, h] of hyps.entries())
            same(h, tensorOn[r]?.[i] as Hypothesis, `${what}, hypothesis ${i}`);
          const done = (l: Hypothesis[]) => l.filter((h) => h.finished);
          expect(done(hyps), what).toEqual(done(off[r] as Hypothesis[]));
          for (const h of hyps) {
            if (h.finished) continue;
            if (h.repeated) cut++;
            else expect(repeatCut(h.tokens, GUARD), what).toBe(-1);
          }
        });
      }
      model.dispose();
    }
    expect(cut).toBeGreaterThan(0);
  });
});
