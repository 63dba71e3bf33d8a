// Reliability class 6 (text): markup, emoji, unseen scripts and control characters are protected as ⟨phN⟩ tokens and come back verbatim and balanced, whatever the model writes.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  balanceMarkup,
  hasTranslatableText,
  protect,
  protectVerbatim,
  restoreVerbatim,
  toWellFormed,
} from '../src/index';
import { hostileString } from './arbitraries';

/** A model trained on Latin text: ASCII printable plus a few accents (like the shipped alphabets). */
const LATIN = new Set([
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)),
  ...'áéíóúñüÁÉÍÓÚÑ¿¡«»“”…',
]);
const known = (ch: string) => LATIN.has(ch);

const TAG_OR_ENTITY =
  /<\/?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});/g;
const sortedMarkup = (s: string) => (s.match(TAG_OR_ENTITY) ?? []).sort();

/** Whether the tags of `s` nest properly: every closing tag closes the innermost open tag of its name. */
function wellNested(s: string): boolean {
  const open: string[] = [];
  for (const m of s.matchAll(/<(\/?)([A-Za-z][\w:-]*)[^<>]*?(\/?)>/g)) {
    const name = (m[2] as string).toLowerCase();
    if (m[3] === '/' || ['br', 'hr', 'img'].includes(name)) continue;
    if (m[1] !== '/') open.push(name);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
}

let cases = 0;

describe('good inputs are protected exactly as before', () => {
  test('text without markup or unknown characters gets the same tokens as protect()', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const plain = s.replace(/[<&]/g, ' ');
        const p = protectVerbatim(plain);
        const old = protect(plain);
        expect(p.text).toBe(old.text);
        expect(p.placeholders).toEqual(old.placeholders);
        expect(p.kinds.every((k) => k === 'placeholder')).toBe(true);
        // With a known alphabet, strings of known characters too.
        const latin = Array.from(plain).filter(known).join('');
        const q = protectVerbatim(latin, { known });
        expect([q.text, q.placeholders]).toEqual([
          protect(latin).text,
          protect(latin).placeholders,
        ]);
        cases++;
      }),
      { numRuns: 400 },
    );
  });

  test('protect → restore is the identity on any string', () => {
    fc.assert(
      fc.property(hostileString, fc.boolean(), (s, withKnown) => {
        const text = toWellFormed(s);
        const p = protectVerbatim(text, withKnown ? { known } : {});
        expect(restoreVerbatim(p.text, p)).toBe(text);
        cases++;
      }),
      { numRuns: 400 },
    );
  });
});

/** Random UI strings with nested markup, entities, placeholders and words. */
const markupString: fc.Arbitrary<string> = fc.letrec<{ node: string; seq: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(
      'Save',
      'all',
      'files',
      'exit',
      'Help',
      'now',
      '%s',
      '{name}',
      '&amp;',
      '&#169;',
      '&nbsp;',
      '<br/>',
      '<br>',
      '🙂',
      'שלום',
    ),
    fc
      .tuple(
        fc.constantFrom('b', 'i', 'big', 'a href="x.html"', 'span weight="bold"', 'tt', 'u'),
        tie('seq'),
      )
      .map(([open, inner]) => `<${open}>${inner}</${open.split(' ')[0]}>`),
  ),
  seq: fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((xs) => xs.join(' ')),
})).seq;

describe('markup comes back verbatim and balanced whatever the model writes', () => {
  test('tokens shuffled, dropped, repeated or invented: every tag and entity once, verbatim, properly nested', () => {
    fc.assert(
      fc.property(
        markupString,
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.constantFrom('Guardar', 'todo', 'salir', 'ahora', 'de', 'y'), { maxLength: 6 }),
        (source, picks, words) => {
          const p = protectVerbatim(source, { known });
          const n = p.placeholders.length;
          // An adversarial "model output": tokens in any order, some twice, some missing, some out of range.
          const out = picks
            .map((x, i) =>
              i % 4 === 3 ? (words[x % Math.max(1, words.length)] ?? 'y') : `⟨ph${x % (n + 2)}⟩`,
            )
            .join(' ');
          const restored = restoreVerbatim(out, p);
          expect(sortedMarkup(restored)).toEqual(sortedMarkup(source));
          expect(wellNested(source)).toBe(true);
          expect(wellNested(restored), `${source} → ${out} → ${restored}`).toBe(true);
          cases++;
        },
      ),
      { numRuns: 500 },
    );
  });

  test.each([
    // [source, model output, restored]
    ['<a href="x.html">Help</a>', '⟨ph0⟩Ayuda⟨ph1⟩', '<a href="x.html">Ayuda</a>'],
    ['<a href="x.html">Help</a>', '⟨ph1⟩Ayuda⟨ph0⟩', '<a href="x.html">Ayuda</a>'],
    ['<a href="x.html">Help</a>', 'Ayuda', 'Ayuda <a href="x.html"></a>'],
    ['Save &amp; exit', 'Guardar ⟨ph0⟩ salir', 'Guardar &amp; salir'],
    ['Save &amp; exit', 'Guardar y salir', 'Guardar y salir &amp;'],
    ['<b>Save</b> all', '⟨ph1⟩ Guardar ⟨ph0⟩ todo', '<b>Guardar</b> todo'],
    ['Press<b>OK</b>', 'Pulse ⟨ph0⟩ Aceptar ⟨ph1⟩', 'Pulse<b>Aceptar</b>'],
    ['<b><i>Note:</i></b> %s', '⟨ph2⟩⟨ph0⟩Nota:⟨ph3⟩⟨ph1⟩ ⟨ph4⟩', '<b><i>Nota:</i></b> %s'],
    ['&#169; 2024 Foo', '⟨ph0⟩ 2024 Foo', '&#169; 2024 Foo'],
    ['Press <b>OK</b> 🙂', 'Pulse ⟨ph0⟩Aceptar⟨ph1⟩ ⟨ph2⟩', 'Pulse <b>Aceptar</b> 🙂'],
  ])('%s, model wrote %s', (source, output, expected) => {
    expect(restoreVerbatim(output, protectVerbatim(source, { known }))).toBe(expected);
    cases++;
  });

  test('tag-like metavariables stay text for the model to translate; gcc quotes stay placeholders', () => {
    expect(protectVerbatim('%s [options] [<file>...]').placeholders).toEqual(['%s']);
    expect(protectVerbatim('-U <gvimrc> Use <gvimrc> instead').placeholders).toEqual([]);
    expect(protectVerbatim('%<#pragma omp%> must').placeholders).toEqual(['%<', '%>']);
    expect(protectVerbatim('--color[=<when>]').placeholders).toEqual([]);
    expect(balanceMarkup('⟨ph1⟩x⟨ph0⟩', ['%s', '%d'])).toBe('⟨ph1⟩x⟨ph0⟩'); // not tags: untouched
    cases += 5;
  });
});

describe('characters the model cannot read are kept verbatim, never translated', () => {
  test.each([
    ['NUL bytes', '\u0000\u0000\u0000\u0000'],
    ['control characters', '\u0007\u001b\u007f'],
    ['a lone surrogate (as U+FFFD)', toWellFormed('\ud800')],
    ['emoji', '🙂 👩‍👩‍👧 👍🏽 🏳️‍🌈'],
    ['right-to-left', 'مرحبا بالعالم'],
    ['Hebrew with marks', '\u200fשמור\u200f'],
    ['CJK', '打开文件'],
    ['Thai', 'เปิดไฟล์'],
    ['markup only', '<b></b>&amp;'],
  ])('only %s: one or more spans, nothing to translate', (_name, text) => {
    const p = protectVerbatim(text, { known });
    expect(hasTranslatableText(p.text)).toBe(false);
    expect(p.kinds.every((k) => k !== 'placeholder')).toBe(true);
    // A model that wrote nothing gets every span back, in order.
    expect(restoreVerbatim('', p).replace(/ /g, '')).toBe(
      p.placeholders.join('').replace(/ /g, ''),
    );
    cases++;
  });

  test.each([
    ['Open 打开文件 now', ['打开文件']],
    ['Save مرحبا بالعالم as', ['مرحبا بالعالم']],
    ['Copy 👩‍👩‍👧 and 👍🏽', ['👩‍👩‍👧', '👍🏽']],
    ['Go to Øresund', ['Øresund']],
    ['x\u0000y', ['\u0000']],
    ['Quit %s ⚙', ['%s', '⚙']],
  ])('%s: the unknown runs are spans of their own, whole words kept whole', (text, spans) => {
    const p = protectVerbatim(text, { known });
    expect(p.placeholders).toEqual(spans);
    expect(hasTranslatableText(p.text)).toBe(spans.join('') !== text);
    cases++;
  });

  test('every case above counted', () => {
    expect(cases).toBeGreaterThan(1300);
  });
});
