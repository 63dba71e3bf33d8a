// End-to-end builder on a directory of self-made .mo files (no .deb, no network).
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGettextCorpusFromDir, formatGettextStats } from '../src/gettext/build';
import { parseTsv } from '../src/tsv/tsv';
import { writeMo } from './fixtures/gettext/writers';

const HEADER =
  'Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n';
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tree(files: Record<string, Uint8Array | string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'seqlab-gettext-test-'));
  dirs.push(root);
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
  return root;
}

describe('buildGettextCorpusFromDir', () => {
  it('extracts, cleans, de-duplicates and splits per language, and writes a manifest', async () => {
    const root = await tree({
      'alpha/usr/share/locale/es/LC_MESSAGES/alpha.mo': writeMo(
        [
          { msgid: '_Open', msgstr: ['_Abrir'] },
          { msgid: 'Copy %s', msgstr: ['Copiar %s'] },
          { msgid: '%d file', msgidPlural: '%d files', msgstr: ['%d archivo', '%d archivos'] },
          { msgid: 'Broken %s', msgstr: ['Roto'] },
          { msgid: 'OK', msgstr: ['OK'] },
        ],
        { header: HEADER },
      ),
      'alpha/usr/share/locale/es_MX/LC_MESSAGES/alpha.mo': writeMo(
        [{ msgid: 'Regional', msgstr: ['Regional MX'] }],
        { header: HEADER },
      ),
      'beta/usr/share/locale/es/LC_MESSAGES/beta.mo': writeMo(
        [
          { msgid: 'Open', msgstr: ['Abre'] },
          { msgid: 'Open', msgstr: ['Abrir'] },
        ],
        { header: HEADER, littleEndian: false },
      ),
      'beta/usr/share/locale/fr/LC_MESSAGES/beta.mo': writeMo(
        [{ msgid: 'Open', msgstr: ['Ouvrir'] }],
        { header: HEADER },
      ),
      'beta/usr/share/locale/fr/LC_MESSAGES/broken.mo': 'not a catalog at all, just text',
      'beta/usr/share/locale/it/LC_MESSAGES/beta.mo': writeMo(
        [{ msgid: 'Open', msgstr: ['Apri'] }],
        { header: HEADER },
      ),
    });
    const out = join(root, 'out');
    const warnings: string[] = [];
    const m = await buildGettextCorpusFromDir(root, {
      out,
      langs: ['es', 'fr'],
      onWarning: (w) => warnings.push(w),
    });
    expect(Object.keys(m.languages)).toEqual(['es', 'fr']);
    const read = async (lang: string) => {
      const all = [];
      for (const s of ['train', 'valid', 'test'])
        all.push(...parseTsv(await readFile(join(out, `en-${lang}`, `${s}.tsv`), 'utf8')));
      return all.sort((a, b) => (a.source < b.source ? -1 : 1));
    };
    expect(await read('es')).toEqual([
      { source: '%d file', target: '%d archivo' },
      { source: '%d files', target: '%d archivos' },
      { source: 'Copy %s', target: 'Copiar %s' },
      { source: 'Open', target: 'Abrir' },
    ]);
    expect(await read('fr')).toEqual([{ source: 'Open', target: 'Ouvrir' }]);
    expect(m.languages.es?.dropped).toEqual({ 'placeholder-mismatch': 1, identical: 1 });
    expect(m.packages.map((p) => [p.name, p.languages])).toEqual([
      ['alpha', { es: { catalogs: 1, pairs: 4 } }],
      ['beta', { es: { catalogs: 1, pairs: 2 }, fr: { catalogs: 1, pairs: 1 } }],
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^skipped beta:.*broken\.mo: .*bad magic/);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.parameters.langs).toEqual(['es', 'fr']);
    expect(formatGettextStats(m)).toMatch(/^en-es: 2 catalogs, 8 raw pairs, 6 kept, 4 unique/);
  });
});
