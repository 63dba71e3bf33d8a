// chrF against sacreBLEU's own test values, plus properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusChrf } from '../src/chrf';

// Expected values from sacreBLEU's test/test_chrf.py (github.com/mjpost/sacrebleu, master at f615c72):
// test_cases (beta 3, eps smoothing), test_cases_effective_order (beta 3), test_cases_keep_whitespace,
// test_sentence_level_chrf (defaults: chrF2 with eps smoothing).
const EPS = 1e-4;

describe('corpusChrf matches sacreBLEU', () => {
  it.each([
    [['abcdefg'], ['hijklmnop'], 0.0],
    [['a'], ['b'], 0.0],
    [[''], ['b'], 0.0],
    [[''], ['ref'], 0.0],
    [[''], ['reference'], 0.0],
    [['aa'], ['ab'], 8.3333],
    [['a', 'b'], ['a', 'c'], 8.3333],
    [['a'], ['a'], 16.6667],
    [['a b c'], ['a b c'], 50.0],
    [['a b c'], ['abc'], 50.0],
    [
      [
        ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      63.36173,
    ],
    [
      [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      64.1302698,
    ],
    [
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      ['Niemand hat die Absicht, eine Mauer zu errichten'],
      100.0,
    ],
  ])('test_cases %j', (h, r, expected) => {
    expect(Math.abs(corpusChrf(h, [r], { beta: 3, epsSmoothing: true }) - expected)).toBeLessThan(
      EPS,
    );
  });

  it.each([
    [['a'], ['a'], 100.0],
    [[''], ['reference'], 0.0],
    [['a b c'], ['a b c'], 100.0],
    [['a b c'], ['abc'], 100.0],
    [[''], ['c'], 0.0],
    [['a', 'b'], ['a', 'c'], 50.0],
    [['aa'], ['ab'], 25.0],
  ])('test_cases_effective_order %j', (h, r, expected) => {
    expect(Math.abs(corpusChrf(h, [r], { beta: 3 }) - expected)).toBeLessThan(EPS);
  });

  it.each([
    [
      ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
      67.3481606,
    ],
    [
      [
        'risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
      ],
      [
        'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
      ],
      65.2414427,
    ],
  ])('test_cases_keep_whitespace %#', (h, r, expected) => {
    expect(Math.abs(corpusChrf(h, [r], { beta: 3, whitespace: true }) - expected)).toBeLessThan(
      EPS,
    );
  });

  it.each([
    [
      'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
      'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
      39.14078509,
    ],
    [
      'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
      'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
      31.22557079,
    ],
    [
      'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
      'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
      57.15704367,
    ],
  ])('test_sentence_level_chrf (chrF2) %#', (h, r, expected) => {
    expect(Math.abs(corpusChrf([h], [[r]], { epsSmoothing: true }) - expected)).toBeLessThan(EPS);
  });
});

describe('chrF properties', () => {
  const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim() !== '');
  it('is 100 for identical corpora and lies in [0, 100]', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 4 }), (ps) => {
        const h = ps.map((p) => p[0]);
        expect(corpusChrf(h, [h])).toBeCloseTo(100, 8);
        const s = corpusChrf(h, [ps.map((p) => p[1])]);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(100 + 1e-9);
      }),
    );
  });
  it('picks the best reference per sentence', () => {
    expect(corpusChrf(['the cat'], [['a dog'], ['the cat']])).toBeCloseTo(100, 8);
  });
});
