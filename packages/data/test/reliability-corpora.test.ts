// Reliability: corrupted .mo bytes, arbitrary .po and TSV text — parsed, or refused with the parser's own error naming the file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MoFormatError, parseMo } from '../src/gettext/mo';
import { PoSyntaxError, parsePo } from '../src/gettext/po';
import { readTsvFile } from '../src/node';
import { parseTsv, TsvFormatError } from '../src/tsv/tsv';
import { writeMo } from './fixtures/gettext/writers';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'data-corpora-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENTRIES = [
  { msgid: '', msgstr: ['Content-Type: text/plain; charset=UTF-8\n'] },
  { msgid: 'Open', msgstr: ['Abrir'] },
  { msgid: '%d file', msgidPlural: '%d files', msgstr: ['%d archivo', '%d archivos'] },
  { context: 'menu', msgid: 'File', msgstr: ['Archivo'] },
];

describe('.mo with corrupted bytes', () => {
  it('random byte edits and truncations give a catalog or a MoFormatError naming the file', () => {
    const good = writeMo(ENTRIES);
    const edit = fc.record({
      at: fc.nat({ max: good.length - 1 }),
      value: fc.integer({ min: 0, max: 255 }),
      more: fc.array(fc.tuple(fc.nat({ max: good.length - 1 }), fc.integer({ min: 0, max: 255 })), {
        maxLength: 4,
      }),
      cut: fc.option(fc.nat({ max: good.length }), { nil: undefined }),
    });
    fc.assert(
      fc.property(edit, ({ at, value, more, cut }) => {
        const b = good.slice();
        b[at] = value;
        for (const [i, v] of more) b[i] = v;
        const bytes = cut === undefined ? b : b.subarray(0, cut);
        try {
          const cat = parseMo(bytes, 'fuzz.mo');
          expect(Array.isArray(cat.entries)).toBe(true);
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(MoFormatError);
          expect((e as Error).message).toMatch(/^fuzz\.mo: /);
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('a header claiming 2^32-1 strings is refused without allocating for them', () => {
    const b = writeMo(ENTRIES);
    new DataView(b.buffer).setUint32(8, 0xffffffff, true);
    expect(() => parseMo(b, 'count.mo')).toThrow(
      /^count\.mo: not a valid \.mo file: .*runs past the end/,
    );
  });
});

describe('.po with broken quoting', () => {
  it.each([
    ['msgid "a\\"\nmsgstr "b"\n', /q\.po:1: unterminated string/],
    ['msgid "a" "b"\nmsgstr "c"\n', /q\.po:1: text after the closing quote/],
    ['msgid "a"\nmsgstr "b\n"\n', /q\.po:2: unterminated string/],
    ['msgid a"\nmsgstr "b"\n', /q\.po:1: expected a "quoted string"/],
    ['msgid "a"\nmsgstr "\\x"\n', /q\.po:2: /],
    ['msgid "a"\nmsgstr ""\n"\n', /q\.po:3: /],
  ])('%j', (text, message) => {
    expect(() => parsePo(text, 'q.po')).toThrow(PoSyntaxError);
    expect(() => parsePo(text, 'q.po')).toThrow(message);
  });

  it('arbitrary text parses or throws PoSyntaxError with file:line', () => {
    const token = fc.constantFrom(
      'msgid ',
      'msgstr ',
      'msgctxt ',
      'msgid_plural ',
      'msgstr[0] ',
      'msgstr[9] ',
      '"',
      '\\',
      '\\"',
      '#, fuzzy',
      '#~ ',
      '\n',
      ' ',
      'a',
      '\t',
      '\r\n',
      '\\x4',
      '\\777',
    );
    const text = fc.oneof(
      fc.array(token, { maxLength: 30 }).map((t) => t.join('')),
      fc.string({ maxLength: 80 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          parsePo(t, 'f.po');
        } catch (e) {
          expect(e, String(e)).toBeInstanceOf(PoSyntaxError);
          expect((e as Error).message).toMatch(/^f\.po:\d+: /);
        }
      }),
      { numRuns: 500, seed: 3 },
    );
  });
});

describe('TSV corpora', () => {
  it('arbitrary text parses or throws TsvFormatError with file:line', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80, unit: 'binary' }),
        fc.constantFrom<[number, number]>([0, 1], [1, 3]),
        (t, columns) => {
          try {
            for (const p of parseTsv(t, { name: 'c.tsv', columns })) {
              expect(typeof p.source).toBe('string');
              expect(p.source.includes('\n') || p.target.includes('\n')).toBe(false);
            }
          } catch (e) {
            expect(e, String(e)).toBeInstanceOf(TsvFormatError);
            expect((e as Error).message).toMatch(
              /^c\.tsv:\d+: expected at least \d+ tab-separated columns/,
            );
          }
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });

  it('a missing file or a directory is named in the error', async () => {
    await expect(readTsvFile(join(dir, 'missing.tsv'))).rejects.toThrow(/missing\.tsv/);
    await expect(readTsvFile(dir)).rejects.toThrow(new RegExp(dir.replace(/[.]/g, '\\.')));
  });
});
