// TSV loader: columns, BOM, CRLF, blank lines, errors with line numbers, format→parse round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTsv, parseTsv, TsvFormatError } from '../src/tsv/tsv';

describe('parseTsv', () => {
  it('reads Anki-style lines, ignoring extra columns, a BOM, CRLF and blank lines', () => {
    const text =
      '\uFEFFGo.\tVa !\tCC-BY 2.0 (France) Attribution: tatoeba.org #2877272\r\n\r\nHi.\tSalut !\n';
    expect(parseTsv(text)).toEqual([
      { source: 'Go.', target: 'Va !' },
      { source: 'Hi.', target: 'Salut !' },
    ]);
  });

  it('picks other columns (Tatoeba id/text/id/text export)', () => {
    expect(parseTsv('1\tHello\t77\tHola\n', { columns: [1, 3] })).toEqual([
      { source: 'Hello', target: 'Hola' },
    ]);
  });

  it('names the file and line of a missing column', () => {
    expect(() => parseTsv('a\tb\n\nonly one\n', { name: 'c.tsv' })).toThrow(TsvFormatError);
    expect(() => parseTsv('a\tb\n\nonly one\n', { name: 'c.tsv' })).toThrow(
      /^c\.tsv:3: expected at least 2 tab-separated columns .* got 1/,
    );
  });

  it('keeps quotes and empty fields verbatim', () => {
    expect(parseTsv('"quoted"\t\n')).toEqual([{ source: '"quoted"', target: '' }]);
  });

  it('format → parse round-trips pairs without tabs or line breaks', () => {
    const field = fc
      .string({ unit: 'binary', maxLength: 20 })
      .map((s) => s.replace(/[\t\r\n\uFEFF]/g, ' '));
    const pair = fc
      .record({ source: field, target: field })
      .filter((p) => `${p.source}\t${p.target}`.trim() !== '');
    fc.assert(
      fc.property(fc.array(pair, { maxLength: 8 }), (pairs) => {
        expect(parseTsv(formatTsv(pairs))).toEqual(pairs);
      }),
    );
  });
});
