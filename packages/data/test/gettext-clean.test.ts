// Cleaning rules, accelerators, de-duplication and the English-keyed split.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findMnemonic, stripAccelerators } from '../src/gettext/accelerators';
import { cleanPair, splitLines } from '../src/gettext/clean';
import { CorpusAssembler, catalogPairs } from '../src/gettext/corpus';
import { selectCatalogs } from '../src/gettext/layout';
import { splitHash, splitOf } from '../src/gettext/split';

describe('stripAccelerators', () => {
  it.each([
    ['_File', '_Archivo', 'File', 'Archivo'],
    ['Save _As', 'Guardar _como', 'Save As', 'Guardar como'],
    ['_Cancel', 'Abbre_chen', 'Cancel', 'Abbrechen'],
    ['Lo_cked', '_Verrouillé', 'Locked', 'Verrouillé'],
    ['Widt_h:', 'Lar_geur', 'Width:', 'Largeur'],
    ['&Open', '&Abrir', 'Open', 'Abrir'],
    ['Save ~As', 'Guardar ~como', 'Save As', 'Guardar como'],
    ['E~xit', '~Salir', 'Exit', 'Salir'],
    ['Tutorials', '_Didacticiels', 'Tutorials', 'Didacticiels'],
    // Not mnemonics: kept verbatim.
    ['a & b', 'a y b', 'a & b', 'a y b'],
    ['snake_case', 'snake_case', 'snake_case', 'snake_case'],
    [
      'truncated user_cmnd: %s',
      'user_cmnd tronqué : %s',
      'truncated user_cmnd: %s',
      'user_cmnd tronqué : %s',
    ],
    ['LOCK_TYPE', 'tipo LOCK_TYPE', 'LOCK_TYPE', 'tipo LOCK_TYPE'],
    ['~/path', '~/ruta', '~/path', '~/ruta'],
    ['&amp; sign', 'signo &amp;', '&amp; sign', 'signo &amp;'],
    ['AT&T', 'AT&T', 'AT&T', 'AT&T'],
    ['_a and _b', '_a y _b', '_a and _b', '_a y _b'],
  ])('%s | %s', (en, tr, wantEn, wantTr) => {
    expect(stripAccelerators(en, tr)).toEqual([wantEn, wantTr]);
  });

  it('findMnemonic without a translation accepts word-start marks only', () => {
    expect(findMnemonic('Save _As', '_')).toBe(5);
    expect(findMnemonic('Lo_cked', '_')).toBe(-1);
  });
});

describe('cleanPair', () => {
  it.each([
    ['_Open %s', '_Abrir %s', { ok: true, en: 'Open %s', tr: 'Abrir %s' }],
    [
      '  Too   many\tspaces ',
      'Demasiados  espacios',
      { ok: true, en: 'Too many spaces', tr: 'Demasiados espacios' },
    ],
    ['Line one\nLine two', 'Línea uno\nLínea dos', { ok: false, reason: 'multiline' }],
    ['', 'x', { ok: false, reason: 'empty' }],
    ['OK', 'OK', { ok: false, reason: 'identical' }],
    ['%s: %d', '%s : %d', { ok: false, reason: 'no-letters' }],
    ['{name} …', '{name} …', { ok: false, reason: 'identical' }],
    ['%s (%s)', '%s (%s)…', { ok: false, reason: 'no-letters' }],
    ['translator-credits', 'Juan Pérez', { ok: false, reason: 'credits' }],
    ['Copy %s to %s', 'Copiar %s', { ok: false, reason: 'placeholder-mismatch' }],
    ['Hello {name}', 'Hola {nombre}', { ok: false, reason: 'placeholder-mismatch' }],
    ['%1$s of %2$s', '%2$s de %1$s', { ok: true, en: '%1$s of %2$s', tr: '%2$s de %1$s' }],
    [
      'Cast %s to %s in column %d.',
      'In Spalte %3$d %1$s in %2$s umwandeln.',
      { ok: true, en: 'Cast %s to %s in column %d.', tr: 'In Spalte %3$d %1$s in %2$s umwandeln.' },
    ],
    ['%s of %d', '%d de %s', { ok: false, reason: 'placeholder-mismatch' }],
    [Array(31).fill('word').join(' '), 'x y', { ok: false, reason: 'too-long' }],
    [`A ${'x'.repeat(200)}`, 'B', { ok: false, reason: 'too-long' }],
  ])('%j', (en, tr, want) => {
    expect(cleanPair(en, tr)).toEqual(want);
  });
});

describe('splitLines', () => {
  it.each([
    ['One line', 'Una línea', [['One line', 'Una línea']]],
    [
      '  -a, --all   show all\n  -l   long\n',
      '  -a, --all   mostrar todo\n\n  -l   largo\n',
      [
        ['  -a, --all   show all', '  -a, --all   mostrar todo'],
        ['  -l   long', '  -l   largo'],
      ],
    ],
    ['Line one\nLine two', 'Una sola línea', undefined],
  ])('%j', (en, tr, want) => {
    expect(splitLines(en, tr)).toEqual(want);
  });
});

describe('catalogPairs and de-duplication', () => {
  const cat = (
    entries: { msgid: string; msgidPlural?: string; msgstr: string[] }[],
    plurals = 2,
  ) => ({
    name: 't',
    entries,
    headers: { 'Plural-Forms': `nplurals=${plurals}; plural=(n != 1);` },
    warnings: [],
  });

  it('uses msgstr[0] for msgid and msgstr[1] for msgid_plural with two forms', () => {
    const c = cat([
      { msgid: '%d file', msgidPlural: '%d files', msgstr: ['%d archivo', '%d archivos'] },
      { msgid: 'Untranslated', msgstr: [''] },
    ]);
    expect(catalogPairs(c)).toEqual([
      { en: '%d file', tr: '%d archivo' },
      { en: '%d files', tr: '%d archivos' },
    ]);
    expect(
      catalogPairs(
        cat([{ msgid: '%d file', msgidPlural: '%d files', msgstr: ['a %d', 'b %d', 'c %d'] }], 3),
      ),
    ).toEqual([{ en: '%d file', tr: 'a %d' }]);
  });

  it('splits line-aligned multi-line messages and drops the others', () => {
    const asm = new CorpusAssembler();
    asm.add(
      'es',
      'p',
      cat([
        { msgid: 'Usage: ls\n  -a  show all', msgstr: ['Uso: ls\n  -a  mostrar todo'] },
        { msgid: 'Para one\nPara two', msgstr: ['Párrafo único'] },
      ]) as never,
    );
    const c = asm.finish().get('es');
    const all = [...(c?.splits.train ?? []), ...(c?.splits.valid ?? []), ...(c?.splits.test ?? [])];
    expect(all.sort((a, b) => (a.en < b.en ? -1 : 1))).toEqual([
      { en: '-a show all', tr: '-a mostrar todo' },
      { en: 'Usage: ls', tr: 'Uso: ls' },
    ]);
    expect(c?.stats).toMatchObject({ raw: 2, kept: 2, dropped: { multiline: 1 } });
  });

  it('keeps the most frequent translation per English string, ties to the smallest, in any order', () => {
    const catalogs = [
      cat([
        { msgid: 'Open', msgstr: ['Abrir'] },
        { msgid: 'Close', msgstr: ['Cerrar'] },
      ]),
      cat([
        { msgid: 'Open', msgstr: ['Abre'] },
        { msgid: 'Close', msgstr: ['Cierra'] },
      ]),
      cat([{ msgid: 'Open', msgstr: ['Abre'] }]),
    ];
    const run = (order: number[]) => {
      const asm = new CorpusAssembler();
      for (const i of order) asm.add('es', `p${i}`, catalogs[i] as never);
      const c = asm.finish().get('es');
      return [
        ...(c?.splits.train ?? []),
        ...(c?.splits.valid ?? []),
        ...(c?.splits.test ?? []),
      ].sort((a, b) => (a.en < b.en ? -1 : 1));
    };
    const want = [
      { en: 'Close', tr: 'Cerrar' },
      { en: 'Open', tr: 'Abre' },
    ];
    expect(run([0, 1, 2])).toEqual(want);
    expect(run([2, 1, 0])).toEqual(want);
  });
});

describe('splitOf', () => {
  it('depends only on the normalised English (case and whitespace free)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), (s) => {
        expect(splitOf(`  ${s.toUpperCase()}  `)).toBe(splitOf(s.toLowerCase()));
      }),
    );
  });

  it('is stable: pinned hashes and splits never change (changing them would move strings between splits)', () => {
    expect(splitHash('open file')).toBe(3387959657);
    expect(splitHash('above')).toBe(18073);
    expect(
      ['Open File', 'Accessible name', 'Above', 'Adaptive supersampling'].map((s) => splitOf(s)),
    ).toEqual(['train', 'valid', 'test', 'test']);
  });

  it('puts about 2 % in valid and 2 % in test', () => {
    const counts = { train: 0, valid: 0, test: 0 };
    for (let i = 0; i < 20000; i++) counts[splitOf(`string number ${i}`)]++;
    expect(counts.valid / 20000).toBeGreaterThan(0.015);
    expect(counts.valid / 20000).toBeLessThan(0.025);
    expect(counts.test / 20000).toBeGreaterThan(0.015);
    expect(counts.test / 20000).toBeLessThan(0.025);
  });
});

describe('selectCatalogs', () => {
  it('prefers the bare language dir, falls back to a regional one, and finds LibreOffice catalogs', () => {
    const paths = [
      './usr/share/locale/es/LC_MESSAGES/tar.mo',
      './usr/share/locale/es_MX/LC_MESSAGES/tar.mo',
      './usr/share/locale/fr_CA/LC_MESSAGES/only.mo',
      './usr/share/locale/fr_FR/LC_MESSAGES/only.mo',
      './usr/share/locale/de/LC_TIME/coreutils.mo',
      './usr/share/locale/it/LC_MESSAGES/tar.mo',
      './usr/lib/libreoffice/program/resource/de/LC_MESSAGES/sw.mo',
    ];
    expect(
      selectCatalogs(paths, ['es', 'fr', 'de']).map((c) => `${c.lang}:${c.locale}:${c.path}`),
    ).toEqual([
      'de:de:./usr/lib/libreoffice/program/resource/de/LC_MESSAGES/sw.mo',
      'es:es:./usr/share/locale/es/LC_MESSAGES/tar.mo',
      'fr:fr_CA:./usr/share/locale/fr_CA/LC_MESSAGES/only.mo',
    ]);
  });
});
