// The placeholder view a UI shows: segments, shown placeholders (%% stays text), missing ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { missingPlaceholders, shownPlaceholders, splitPlaceholders } from '../src/placeholders';

describe('splitPlaceholders', () => {
  it('finds printf, positional, Qt, Python, brace and template placeholders', () => {
    expect(shownPlaceholders('Open %s')).toEqual(['%s']);
    expect(shownPlaceholders('%1$s of %2$d')).toEqual(['%1$s', '%2$d']);
    expect(shownPlaceholders('%.2f%% done, %5d left, %lu bytes')).toEqual(['%.2f', '%5d', '%lu']);
    expect(shownPlaceholders('Copy %1 to %2')).toEqual(['%1', '%2']);
    expect(shownPlaceholders('Hello %(user)s')).toEqual(['%(user)s']);
    expect(shownPlaceholders('Delete {count} items in {0}')).toEqual(['{count}', '{0}']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${…} placeholders are the test data.
    expect(shownPlaceholders('Path: ${HOME}/x')).toEqual(['${HOME}']);
  });

  it('does not take 100%% or ordinary braces and percent signs for placeholders', () => {
    expect(shownPlaceholders('100%% sure')).toEqual([]);
    expect(shownPlaceholders('50 % off { not one }')).toEqual([]);
  });

  it('gives segments in order, merging adjacent text', () => {
    expect(splitPlaceholders('Save %s as {name}?')).toEqual([
      { kind: 'text', value: 'Save ' },
      { kind: 'placeholder', value: '%s' },
      { kind: 'text', value: ' as ' },
      { kind: 'placeholder', value: '{name}' },
      { kind: 'text', value: '?' },
    ]);
    expect(splitPlaceholders('a%%b')).toEqual([{ kind: 'text', value: 'a%%b' }]);
    expect(splitPlaceholders('')).toEqual([]);
  });

  it('always joins back to the input, with no empty or adjacent text segments', () => {
    const piece = fc.oneof(
      fc.string(),
      // biome-ignore lint/suspicious/noTemplateCurlyInString: as above.
      fc.constantFrom('%s', '%1$s', '{name}', '${x}', '%%', '%', '{', '}', '%d'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) => {
        const text = parts.join('');
        const segs = splitPlaceholders(text);
        expect(segs.map((s) => s.value).join('')).toBe(text);
        segs.forEach((s, i) => {
          expect(s.value.length).toBeGreaterThan(0);
          if (i > 0 && s.kind === 'text') expect(segs[i - 1]?.kind).toBe('placeholder');
        });
      }),
    );
  });
});

describe('missingPlaceholders', () => {
  it('counts repeats and ignores order', () => {
    expect(missingPlaceholders('%s and %s', '%s y %s')).toEqual([]);
    expect(missingPlaceholders('%s and %s', '%s')).toEqual(['%s']);
    expect(missingPlaceholders('{a} {b}', '{b} {a}')).toEqual([]);
    expect(missingPlaceholders('Open {file}', 'Abrir archivo')).toEqual(['{file}']);
  });
});
