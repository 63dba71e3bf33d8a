// .po parser: contexts, plurals, multi-line strings, escapes, fuzzy/obsolete skipped, syntax errors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../src/gettext/catalog';
import { PoSyntaxError, parsePo } from '../src/gettext/po';
import { writePo } from './fixtures/gettext/writers';

const PO = `# Spanish translation
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#: a.c:1
msgid "Open"
msgstr "Abrir"

msgctxt "menu"
msgid "File"
msgstr "Archivo"

msgid ""
"A long "
"string\\twith \\"escapes\\"\\n"
msgstr "Una cadena \\101\\x42"

#, c-format
msgid "%d file"
msgid_plural "%d files"
msgstr[0] "%d archivo"
msgstr[1] "%d archivos"

#, fuzzy
msgid "Close"
msgstr "Cerrar"

#~ msgid "Old"
#~ msgstr "Viejo"
`;

describe('parsePo', () => {
  it('reads entries, skipping fuzzy and obsolete ones', () => {
    const cat = parsePo(PO, 'es.po');
    expect(cat.headers['Plural-Forms']).toBe('nplurals=2; plural=(n != 1);');
    expect(cat.entries).toEqual([
      { msgid: 'Open', msgstr: ['Abrir'] },
      { context: 'menu', msgid: 'File', msgstr: ['Archivo'] },
      { msgid: 'A long string\twith "escapes"\n', msgstr: ['Una cadena AB'] },
      { msgid: '%d file', msgidPlural: '%d files', msgstr: ['%d archivo', '%d archivos'] },
    ]);
  });

  it.each([
    ['msgid "Open\nmsgstr "x"\n', 'b.po:1: unterminated string'],
    ['msgid "a" x\nmsgstr "b"\n', 'b.po:1: text after the closing quote'],
    ['msgid "a"\nmsgstr b\n', 'b.po:2: expected a "quoted string"'],
    ['msgid "a"\nmsgstr "\\q"\n', 'b.po:2: unknown escape \\q'],
    ['"orphan"\n', 'b.po:1: string continuation with no keyword'],
    ['msgstr "x"\n', 'b.po:1: msgstr before any msgid'],
    ['msgid "a"\nmsgstr[0] "x"\n', 'b.po:2: msgstr[0] without msgid_plural'],
    ['msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 'b.po:1: msgid "a" has no msgstr'],
    ['msgid "a"\nmsgfoo "b"\n', 'b.po:2: expected msgctxt, msgid'],
  ])('reports broken input %#', (text, message) => {
    expect(() => parsePo(text, 'b.po')).toThrow(PoSyntaxError);
    expect(() => parsePo(text, 'b.po')).toThrow(message);
  });

  it('keeps U+2028/U+2029 inside strings (a regex `.` does not match them; fast-check found it)', () => {
    const es: CatalogEntry[] = [{ msgid: '\u2028', msgstr: ['a\u2029b'] }];
    expect(parsePo(writePo(es)).entries).toEqual(es);
  });

  it('write → parse round-trips arbitrary strings', () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 20 })
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters a .po writer would have to octal-escape are excluded
      .map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, ''));
    const entry = fc
      .record({
        context: fc.option(text, { nil: undefined }),
        msgid: text.filter((s) => s !== ''),
        plural: fc.option(text, { nil: undefined }),
        a: text,
        b: text,
      })
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
      fc.property(fc.array(entry, { maxLength: 6 }), (es) => {
        expect(parsePo(writePo(es)).entries).toEqual(es);
      }),
    );
  });
});
