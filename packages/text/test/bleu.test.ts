// BLEU against sacreBLEU's own test values, plus properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBleu, corpusBleu, tokenize13a } from '../src/bleu';

// Expected values from sacreBLEU's test/test_bleu.py (github.com/mjpost/sacrebleu, master at f615c72):
// test_corpus_bleu_cases, test_raw_bleu_cases, test_case_effective_order, test_case_statistics,
// test_case_scoring, test_case_offset and test_case_degenerate_stats.
const refs = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const EPS = 1e-8;
/** sacreBLEU's raw_corpus_bleu: floor smoothing, no tokenisation, effective order. */
const raw = (h: string[], r: string[][], smoothValue = 0.1) =>
  corpusBleu(h, r, { smoothMethod: 'floor', smoothValue, tokenize: 'none', effectiveOrder: true });

describe('corpusBleu matches sacreBLEU', () => {
  it.each([
    [{}, 48.530827],
    [{ tokenize: 'none' as const }, 49.1919566],
    [{ tokenize: '13a' as const }, 48.530827],
    [{ smoothMethod: 'none' as const }, 48.530827],
  ])('test_corpus_bleu_cases %o', (opts, expected) => {
    expect(Math.abs(corpusBleu(hyps, refs, opts).score - expected)).toBeLessThan(EPS);
  });

  it('keeps empty hypotheses (score 0)', () => {
    expect(corpusBleu(['', '', ''], refs).score).toBe(0);
  });

  it.each([
    [['this is a test', 'another test'], ['ref1', 'ref2'], 0.0],
    [['this is a test'], ['this is a test'], 1.0],
    [['this is a fest'], ['this is a test'], 0.223606797749979],
    [['test'], ['a test'], 0.3678794411714425],
    [['a test'], ['a test'], 1.0],
    [['a little test'], ['a test'], 0.03218297948685433],
  ])('raw_corpus_bleu / effective order %j', (h, r, expected) => {
    expect(Math.abs(raw(h, [r], 0.01).score / 100 - expected)).toBeLessThan(EPS);
  });

  it('test_case_statistics and test_case_offset', () => {
    const r = raw(['am I am a character sequence'], [['I am a symbol string sequence a a']], 0.01);
    expect(r.counts).toEqual([4, 2, 1, 0]);
    expect(r.totals).toEqual([6, 5, 4, 3]);
    const h = ['am I am a character sequence'];
    const rr = [['I am a symbol string sequence a a']];
    expect(Math.abs(raw(h, rr, 0).score / 100)).toBeLessThan(EPS);
    expect(Math.abs(raw(h, rr).score / 100 - 0.1555722182)).toBeLessThan(EPS);
  });

  it('test_case_scoring', () => {
    expect(
      Math.abs(
        computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11, { smoothMethod: 'none' }).score / 100 -
          0.8375922397,
      ),
    ).toBeLessThan(EPS);
  });

  it.each([
    [[0, 0, 0, 0], [4, 4, 2, 1], 0, 1, 0.0],
    [[0, 0, 0, 0], [10, 11, 12, 0], 14, 10, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.0],
    [[6, 5, 4, 0], [6, 5, 4, 3], 6, 6, 0.0],
    [[0, 0, 0, 0], [0, 0, 0, 0], 0, 0, 0.1],
    [[0, 0, 0, 0], [0, 0, 0, 0], 1, 5, 0.01],
  ])('test_case_degenerate_stats %j %j', (c, t, sys, ref, offset) => {
    expect(computeBleu(c, t, sys, ref, { smoothMethod: 'floor', smoothValue: offset }).score).toBe(
      0,
    );
  });
});

describe('tokenize13a', () => {
  it('splits punctuation like mteval-v13a', () => {
    expect(tokenize13a("It wasn't surprising.")).toBe("It wasn't surprising ."); // ' is not in 13a's symbol class
    expect(tokenize13a('Pay $3.50, now-ish 1-2 &amp; go')).toBe('Pay $ 3.50 , now-ish 1 - 2 & go');
  });
});

describe('BLEU properties', () => {
  const sentence = fc
    .array(fc.constantFrom('the', 'cat', 'sat', 'on', 'a', 'mat', '.', 'dog', ','), {
      minLength: 4,
      maxLength: 12,
    })
    .map((w) => w.join(' '));
  it('is 100 for a corpus scored against itself', () => {
    fc.assert(
      fc.property(fc.array(sentence, { minLength: 1, maxLength: 5 }), (c) => {
        expect(corpusBleu(c, [c]).score).toBeCloseTo(100, 10);
      }),
    );
  });
  it('lies in [0, 100]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(sentence, sentence), { minLength: 1, maxLength: 5 }), (ps) => {
        const s = corpusBleu(
          ps.map((p) => p[0]),
          [ps.map((p) => p[1])],
        ).score;
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100 + 1e-9);
      }),
    );
  });
  it('rejects misaligned reference streams', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(
      /reference stream 0 has 1 lines, expected 2/,
    );
  });
});
