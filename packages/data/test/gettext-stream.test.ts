// Streaming: the TSV reader agrees with parseTsv across chunk boundaries, and a build larger than the
// writer's chunk writes exactly what the in-memory assembly holds.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGettextCorpusFromDir } from '../src/gettext/build';
import { CORPUS_FILES, CorpusAssembler } from '../src/gettext/corpus';
import { parseMo } from '../src/gettext/mo';
import { readTsvFile, streamTsvFile } from '../src/tsv/read';
import { parseTsv, TsvFormatError } from '../src/tsv/tsv';
import { TsvFileWriter } from '../src/tsv/write';
import { writeMo } from './fixtures/gettext/writers';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqlab-stream-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('streamTsvFile', () => {
  it('yields what parseTsv returns (BOM, CRLF, blank lines, lone CR in a field, no final newline)', async () => {
    const line = fc
      .string({ unit: 'binary', maxLength: 12 })
      .map((s) => s.replace(/[\n\uFEFF]/g, ' '));
    const text = fc
      .tuple(fc.boolean(), fc.array(fc.tuple(line, line), { maxLength: 6 }), fc.boolean())
      .map(
        ([bom, rows, lf]) =>
          (bom ? '\uFEFF' : '') +
          rows.map(([a, b]) => `${a}\t${b}`).join('\r\n\n') +
          (lf ? '\n' : ''),
      );
    let i = 0;
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        const f = join(dir, `p${i++}.tsv`);
        await writeFile(f, t);
        expect(await readTsvFile(f)).toEqual(parseTsv(t));
      }),
      { numRuns: 60 },
    );
  });

  it('crosses read-chunk boundaries (multi-byte text, 1 MB) and names the file and line of a bad one', async () => {
    const rows = Array.from({ length: 20000 }, (_, i) => `Ñandú ${i} ✓\tÑandú ${i} ✔`);
    const f = join(dir, 'big.tsv');
    await writeFile(f, `${rows.join('\n')}\nno tab here\n`);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const p of streamTsvFile(f)) seen.push(p.source);
      })(),
    ).rejects.toThrow(TsvFormatError);
    expect(seen).toHaveLength(20000);
    expect(seen[12345]).toBe('Ñandú 12345 ✓');
    await expect(readTsvFile(f)).rejects.toThrow(
      new RegExp(`${f.replace(/[.]/g, '\\.')}:20001: expected at least 2 tab-separated columns`),
    );
  });
});

describe('TsvFileWriter', () => {
  it('writes one line per pair (tabs and breaks in fields become spaces) and leaves no .partial', async () => {
    const f = join(dir, 'w.tsv');
    const w = new TsvFileWriter(f);
    await w.write('a\tb', 'c\nd');
    await w.write('Open', 'Abrir');
    await w.close();
    expect(await readFile(f, 'utf8')).toBe('a b\tc d\nOpen\tAbrir\n');
    expect(w.count).toBe(2);
    await expect(readFile(`${f}.partial`)).rejects.toThrow(/ENOENT/);
  });

  it('names the file when it cannot be written', async () => {
    const f = join(dir, 'no-such-dir', 'x.tsv');
    const w = new TsvFileWriter(f);
    await w.write('Open', 'Abrir');
    await expect(w.close()).rejects.toThrow(
      /no-such-dir\/x\.tsv: cannot write the corpus \(ENOENT/,
    );
  });
});

describe('streamed build', () => {
  it('writes files larger than the write chunk exactly as the in-memory assembly', async () => {
    const tree = join(dir, 'tree');
    const entries = Array.from({ length: 6000 }, (_, i) => ({
      msgid: `Open recent document number ${i} from the list`,
      msgstr: [`Abrir el documento reciente número ${i} de la lista`],
    }));
    const mo = writeMo(entries);
    for (const [pkg, slice] of [
      ['alpha', entries.slice(0, 4000)],
      ['beta', entries.slice(3000)],
    ] as const) {
      await mkdir(join(tree, pkg, 'usr/share/locale/es/LC_MESSAGES'), { recursive: true });
      await writeFile(join(tree, pkg, 'usr/share/locale/es/LC_MESSAGES/x.mo'), writeMo(slice));
    }
    const out = join(dir, 'out');
    const m = await buildGettextCorpusFromDir(tree, {
      out,
      langs: ['es'],
      heldOut: { dev: ['beta'], test: [] },
    });
    const asm = new CorpusAssembler({ heldOut: { dev: ['beta'], test: [] } });
    asm.add('es', 'alpha', parseMo(writeMo(entries.slice(0, 4000)), 'a'));
    asm.add('es', 'beta', parseMo(writeMo(entries.slice(3000)), 'b'));
    const want = asm.finish().get('es');
    expect(mo.length).toBeGreaterThan(65536);
    for (const file of CORPUS_FILES) {
      const text = await readFile(join(out, 'en-es', `${file}.tsv`), 'utf8');
      expect(text).toBe(want?.splits[file].map((p) => `${p.en}\t${p.tr}\n`).join(''));
    }
    expect(m.languages.es?.splits['dev-apps']).toBe(2000);
    expect(m.languages.es?.splits.train).toBeGreaterThan(3500);
  });
});
