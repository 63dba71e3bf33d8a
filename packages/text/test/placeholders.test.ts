// Placeholder detection, protection, restoration and repair.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  findPlaceholders,
  PLACEHOLDER_PATTERN,
  placeholderKeys,
  protect,
  protectWith,
  repairAndRestore,
  repairProtected,
  restore,
  restoreTranslation,
  samePlaceholders,
} from '../src/placeholders';
import { hostileString } from './arbitraries';

describe('findPlaceholders', () => {
  it.each([
    ['Copy %s to %d', ['%s', '%d']],
    ['%1$s of %2$lu', ['%1$s', '%2$lu']],
    ['%.2f%% done', ['%.2f', '%%']],
    ['%-5ld and %zu and %lld', ['%-5ld', '%zu', '%lld']],
    ['Hello {name}, you have {0} items', ['{name}', '{0}']],
    ['{0:.2f} and {}', ['{0:.2f}', '{}']],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal `${var}` placeholder syntax is under test
    ['Path ${HOME}/x and $USER', ['${HOME}', '$USER']],
    ['Qt %1 of %2', ['%1', '%2']],
    ['%(count)d files', ['%(count)d']],
    ['%PRODUCTNAME and $(ARG1)', ['%PRODUCTNAME', '$(ARG1)']],
    ['%qs is not %<const%>', ['%qs', '%<', '%>']],
    ['cannot open: %m', ['%m']],
    ['50% done, costs $5', []],
    ['a ⟨ph3⟩ b', ['⟨ph3⟩']],
  ])('%s', (text, expected) => {
    expect(findPlaceholders(text)).toEqual(expected);
  });
});

describe('protect / restore', () => {
  it('numbers placeholders in order, equal ones distinctly', () => {
    expect(protect('Copy %s to %s ({0})')).toEqual({
      text: 'Copy ⟨ph0⟩ to ⟨ph1⟩ (⟨ph2⟩)',
      placeholders: ['%s', '%s', '{0}'],
    });
  });

  it('restore(protect(s)) is the identity on arbitrary strings', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const p = protect(s);
        expect(restore(p.text, p.placeholders)).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  it('protectWith numbers the target like its source', () => {
    const src = protect('%s of %d');
    expect(protectWith('%2$d de %1$s', src.placeholders)).toEqual({
      text: '⟨ph1⟩ de ⟨ph0⟩',
      placeholders: ['%s', '%d'],
    });
    // Swapping conversions without positions is a different printf call: no match.
    expect(protectWith('%d de %s', src.placeholders).text).toBe('⟨ph2⟩ de ⟨ph3⟩');
    // An extra target placeholder gets a number past the source's.
    expect(protectWith('%s %x', ['%s']).text).toBe('⟨ph0⟩ ⟨ph1⟩');
  });

  it('protectWith + restore keeps the text and the placeholder keys of any target', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (s, t) => {
        const p = protectWith(t, protect(s).placeholders);
        const back = restore(p.text, p.placeholders);
        expect(samePlaceholders(back, t)).toBe(true);
        expect(back.split(PLACEHOLDER_PATTERN)).toEqual(t.split(PLACEHOLDER_PATTERN));
      }),
    );
  });

  it('restoreTranslation writes reordered printf conversions positionally', () => {
    expect(restoreTranslation('⟨ph1⟩ de ⟨ph0⟩', ['%s', '%d'])).toBe('%2$d de %1$s');
    expect(restoreTranslation('⟨ph0⟩ de ⟨ph1⟩', ['%s', '%d'])).toBe('%s de %d');
    expect(restoreTranslation('{b} ⟨ph1⟩ ⟨ph0⟩', ['{a}', '%s'])).toBe('{b} %s {a}');
    expect(placeholderKeys(['%s', '%%', '%2$d', '%-5ld', '%m'])).toEqual([
      '1:s',
      '%%',
      '2:d',
      '2:-5ld',
      '%m',
    ]);
  });
});

describe('samePlaceholders', () => {
  it.each([
    ['%s of %d', '%2$d de %1$s', true],
    ['%s of %d', '%d de %s', false],
    ['%s %s', '%s', false],
    ['{name}', '{nombre}', false],
    ['no placeholders', 'sin marcadores', true],
    ['%1$s', '%s', true], // same argument, same conversion
    ['%1$s', '%2$s', false],
  ])('%s vs %s → %s', (a, b, same) => {
    expect(samePlaceholders(a, b)).toBe(same);
  });
});

describe('repair', () => {
  it('drops repeats and unknown tokens, appends missing ones', () => {
    expect(repairProtected('⟨ph1⟩ x ⟨ph1⟩ ⟨ph7⟩', 2)).toBe('⟨ph1⟩ x ⟨ph0⟩');
    expect(repairProtected('', 2)).toBe('⟨ph0⟩ ⟨ph1⟩');
    expect(repairAndRestore('Copiar ⟨ph0⟩', protect('Copy %s to %d'))).toBe('Copiar %s %d');
  });

  it('always leaves each token exactly once, and the same placeholder multiset after restore', () => {
    const token = fc.nat(5).map((i) => `⟨ph${i}⟩`);
    const output = fc
      .array(fc.oneof(token, fc.constantFrom('a', ' ', 'xyz', '!')), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(output, fc.nat(4), (out, n) => {
        const fixed = repairProtected(out, n);
        for (let i = 0; i < n; i++) expect(fixed.split(`⟨ph${i}⟩`).length - 1).toBe(1);
        for (const m of fixed.matchAll(/⟨ph(\d+)⟩/g)) expect(Number(m[1])).toBeLessThan(n);
        const src = Array.from({ length: n }, (_, i) => `{p${i}}`).join(' ');
        const p = protect(src);
        expect(samePlaceholders(repairAndRestore(out, p), src)).toBe(true);
      }),
    );
  });
});
