// .mo parser: both byte orders, contexts, plurals, charsets, malformed files, write→parse round trip.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../src/gettext/catalog';
import { MoFormatError, parseMo } from '../src/gettext/mo';
import { writeMo } from './fixtures/gettext/writers';

const HEADER =
  'Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n';
const entries: CatalogEntry[] = [
  { msgid: 'Open', msgstr: ['Abrir'] },
  { context: 'menu', msgid: 'File', msgstr: ['Archivo'] },
  { msgid: '%d file', msgidPlural: '%d files', msgstr: ['%d archivo', '%d archivos'] },
  { msgid: 'Ünïcödé 🙂', msgstr: ['Únícódé 🙂'] },
];

describe('parseMo', () => {
  it.each([true, false])('reads a catalog (littleEndian=%s)', (littleEndian) => {
    const cat = parseMo(writeMo(entries, { littleEndian, header: HEADER }), 'x.mo');
    expect(cat.entries).toEqual(entries);
    expect(cat.headers['Plural-Forms']).toBe('nplurals=2; plural=(n != 1);');
    expect(cat.warnings).toEqual([]);
  });

  it.each([true, false])(
    'reads system-dependent strings like msgunfmt (littleEndian=%s)',
    (littleEndian) => {
      const bytes = writeMo([{ msgid: 'Open', msgstr: ['Abrir'] }], {
        littleEndian,
        header: HEADER,
        sysdep: [
          { msgid: 'Page %<PRIuMAX> of %<PRId64>', msgstr: 'Página %<PRIuMAX> de %<PRId64>' },
        ],
      });
      expect(parseMo(bytes).entries).toEqual([
        { msgid: 'Open', msgstr: ['Abrir'] },
        { msgid: 'Page %<PRIuMAX> of %<PRId64>', msgstr: ['Página %<PRIuMAX> de %<PRId64>'] },
      ]);
      const broken = new Uint8Array(bytes);
      new DataView(broken.buffer).setUint32(40, 0xfffffff0, littleEndian);
      expect(() => parseMo(broken, 's.mo')).toThrow(
        /s\.mo: .*system-dependent original table at offset 4294967280/,
      );
    },
  );

  it('decodes an ISO-8859-1 catalog through its declared charset', () => {
    const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const bytes = writeMo([{ msgid: 'Size', msgstr: ['Größe'] }], {
      header: 'Content-Type: text/plain; charset=ISO-8859-1\n',
      encode: latin1,
    });
    expect(parseMo(bytes).entries[0]?.msgstr).toEqual(['Größe']);
  });

  it('warns about an unknown charset and falls back to UTF-8', () => {
    const cat = parseMo(
      writeMo([{ msgid: 'a', msgstr: ['b'] }], {
        header: 'Content-Type: text/plain; charset=X-NOPE\n',
      }),
      'n.mo',
    );
    expect(cat.warnings).toEqual([
      'n.mo: unknown charset "x-nope" in the header, decoded as UTF-8',
    ]);
    expect(cat.entries).toEqual([{ msgid: 'a', msgstr: ['b'] }]);
  });

  it('rejects bad magic, naming the file', () => {
    const bytes = writeMo(entries);
    bytes[0] = 0;
    expect(() => parseMo(bytes, 'bad.mo')).toThrow(MoFormatError);
    expect(() => parseMo(bytes, 'bad.mo')).toThrow(
      /^bad\.mo: not a valid \.mo file: bad magic 0x00/,
    );
  });

  it('rejects truncated files', () => {
    expect(() => parseMo(new Uint8Array(10), 't.mo')).toThrow(
      /t\.mo: .*at least 28 header bytes, got 10/,
    );
    const bytes = writeMo(entries);
    expect(() => parseMo(bytes.subarray(0, bytes.length - 12), 't.mo')).toThrow(
      /string \d+ at offset \d+ with length \d+ runs past the end/,
    );
  });

  it('rejects tables and strings that point out of range', () => {
    const bytes = writeMo(entries);
    const view = new DataView(bytes.buffer);
    view.setUint32(12, 0xfffffff0, true);
    expect(() => parseMo(bytes, 'o.mo')).toThrow(
      /o\.mo: .*original string table at 4294967280 with 4 entries runs past the end/,
    );
    const b2 = writeMo(entries);
    new DataView(b2.buffer).setUint32(28 + 4, 1_000_000, true); // offset of original string 0
    expect(() => parseMo(b2, 'o.mo')).toThrow(/original string 0 at offset 1000000/);
    const b3 = writeMo(entries);
    new DataView(b3.buffer).setUint32(4, 2 << 16, true);
    expect(() => parseMo(b3, 'r.mo')).toThrow(/unsupported major revision 2/);
  });

  it('write → parse round-trips arbitrary strings', () => {
    // NUL and U+0004 are the format's separators, so they cannot occur inside strings.
    const text = fc
      .string({ unit: 'binary', maxLength: 20 })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL and EOT are the .mo separators being excluded
      .map((s) => s.replace(/[\u0000\u0004]/g, ''));
    const entry = fc
      .record(
        {
          context: text,
          msgid: text.filter((s) => s !== ''),
          plural: fc.option(text, { nil: undefined }),
          a: text,
          b: text,
        },
        { requiredKeys: ['msgid', 'a', 'b'] },
      )
      .map((r): CatalogEntry => {
        const e: CatalogEntry = {
          msgid: r.msgid,
          msgstr: r.plural === undefined ? [r.a] : [r.a, r.b],
        };
        if (r.context !== undefined) e.context = r.context;
        if (r.plural !== undefined) e.msgidPlural = r.plural;
        return e;
      });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 6 }), fc.boolean(), (es, littleEndian) => {
        expect(parseMo(writeMo(es, { littleEndian, header: HEADER })).entries).toEqual(es);
      }),
    );
  });
});
