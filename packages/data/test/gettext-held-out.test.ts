// App-held-out splits: the repo's package lists, the held-out list format, the seeded choice, and the
// routing guarantees (no English string spans files; held-out packages never reach training).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildGettextCorpusFromDir,
  DEFAULT_HELD_OUT_FILE,
  DEFAULT_PACKAGES_FILE,
  findRepoRoot,
} from '../src/gettext/build';
import type { Catalog } from '../src/gettext/catalog';
import { normaliseEnglish } from '../src/gettext/clean';
import { CORPUS_FILES, CorpusAssembler, type CorpusFile } from '../src/gettext/corpus';
import { readPackageList } from '../src/gettext/deb';
import {
  chooseHeldOutPackages,
  formatHeldOutList,
  HeldOutListError,
  type HeldOutPackages,
  parseHeldOutList,
  sharedHeldOutGroup,
} from '../src/gettext/held-out';
import { parseTsv } from '../src/tsv/tsv';
import { writeMo } from './fixtures/gettext/writers';

const root = findRepoRoot(fileURLToPath(new URL('.', import.meta.url))) as string;
const shared = join(root, '..', 'shared', 'data', 'gettext-packages.txt');
const haveShared = existsSync(shared);

describe('the package lists kept in the repo', () => {
  it.skipIf(!haveShared)(
    `lists/gettext-packages.txt is byte-identical to ../shared/data/gettext-packages.txt${
      haveShared ? '' : ` (SKIPPED: ${shared} does not exist on this machine)`
    }`,
    async () => {
      const [copy, original] = await Promise.all([
        readFile(DEFAULT_PACKAGES_FILE),
        readFile(shared),
      ]);
      expect(copy.equals(original), `${DEFAULT_PACKAGES_FILE} differs from ${shared}`).toBe(true);
    },
  );

  it('the package list has 513 distinct names and is the builder default', async () => {
    expect(DEFAULT_PACKAGES_FILE).toBe(
      join(root, 'packages', 'data', 'lists', 'gettext-packages.txt'),
    );
    const names = await readPackageList(DEFAULT_PACKAGES_FILE);
    expect(names).toHaveLength(513);
    expect(new Set(names).size).toBe(names.length);
  });

  it('held-out packages are listed packages, none of the original first 63, in one group each', async () => {
    const names = await readPackageList(DEFAULT_PACKAGES_FILE);
    const h = parseHeldOutList(
      await readFile(DEFAULT_HELD_OUT_FILE, 'utf8'),
      DEFAULT_HELD_OUT_FILE,
    );
    expect(h.dev.length).toBeGreaterThan(5);
    expect(h.test.length).toBeGreaterThan(5);
    const first63 = new Set(names.slice(0, 63));
    for (const p of [...h.dev, ...h.test]) {
      expect(names, p).toContain(p);
      expect(first63.has(p), `${p} is one of the original 63`).toBe(false);
    }
  });
});

describe('held-out list file', () => {
  it('parses groups, ignores comments, sorts, and round-trips through formatHeldOutList', () => {
    const h = parseHeldOutList('# c\n\ntest zeta\ndev beta # why\ndev alpha\n');
    expect(h).toEqual({ dev: ['alpha', 'beta'], test: ['zeta'] });
    expect(parseHeldOutList(formatHeldOutList(h, ['header', '', 'more']))).toEqual(h);
    expect(formatHeldOutList(h, ['x'])).toBe('# x\ndev alpha\ndev beta\ntest zeta\n');
  });

  it('names the file and line of a bad group or a package listed twice', () => {
    expect(() => parseHeldOutList('dev a\nvalid b\n', 'h.txt')).toThrow(HeldOutListError);
    expect(() => parseHeldOutList('dev a\nvalid b\n', 'h.txt')).toThrow(
      /^h\.txt:2: expected '<group> <package>' with group dev or test, got "valid b"/,
    );
    expect(() => parseHeldOutList('dev a\ntest a\n', 'h.txt')).toThrow(
      /^h\.txt:2: package 'a' is already held out on line 1/,
    );
  });
});

describe('chooseHeldOutPackages', () => {
  const pkgs = Array.from({ length: 200 }, (_, i) => ({ name: `pkg${i}`, pairs: (i * 37) % 900 }));

  it('is deterministic, disjoint, within bounds, outside exclude, and balanced', () => {
    const opts = { seed: 19, targetPairs: 3000, maxPairs: 600, exclude: ['pkg1', 'pkg2'] };
    const h = chooseHeldOutPackages(pkgs, opts);
    expect(chooseHeldOutPackages([...pkgs].reverse(), opts)).toEqual(h);
    const pairs = new Map(pkgs.map((p) => [p.name, p.pairs]));
    const size = (names: string[]) => names.reduce((a, n) => a + (pairs.get(n) ?? 0), 0);
    expect(h.dev.filter((p) => h.test.includes(p))).toEqual([]);
    for (const p of [...h.dev, ...h.test]) {
      expect(['pkg1', 'pkg2']).not.toContain(p);
      expect(pairs.get(p)).toBeGreaterThanOrEqual(20);
      expect(pairs.get(p)).toBeLessThanOrEqual(600);
    }
    for (const g of [h.dev, h.test]) {
      expect(size(g)).toBeGreaterThanOrEqual(3000);
      expect(size(g)).toBeLessThan(3000 + 600);
    }
    expect(chooseHeldOutPackages(pkgs, { ...opts, seed: 20 })).not.toEqual(h);
  });

  it('rejects impossible bounds with the values it got', () => {
    expect(() => chooseHeldOutPackages(pkgs, { seed: 1, targetPairs: 0, maxPairs: 10 })).toThrow(
      /expected targetPairs > 0 and maxPairs ≥ minPairs \(20\); got targetPairs 0, maxPairs 10/,
    );
  });
});

/** A tiny catalog from [msgid, msgstr] pairs. */
function cat(pairs: readonly (readonly [string, string])[]): Catalog {
  return {
    name: 'fixture',
    entries: pairs.map(([msgid, s]) => ({ msgid, msgstr: [s] })),
    headers: {},
    warnings: [],
  };
}

type Fixture = { pkg: string; lang: string; pairs: [string, string][] }[];

function assemble(fixture: Fixture, heldOut?: HeldOutPackages) {
  const asm = new CorpusAssembler(heldOut ? { heldOut } : {});
  for (const f of fixture) asm.add(f.lang, f.pkg, cat(f.pairs));
  return asm.finish();
}

// Few distinct words, so that strings recur across packages, languages and case variants.
const word = fc.constantFrom('Open', 'open', 'File', 'save', 'Save', 'Close', 'all', 'tabs', 'OK');
const english = fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' '));
const fixtureArb: fc.Arbitrary<Fixture> = fc.array(
  fc.record({
    pkg: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5'),
    lang: fc.constantFrom('es', 'fr'),
    pairs: fc.array(
      fc.tuple(english, fc.constantFrom('uno', 'dos', 'tres')).map(([en, tr]) => {
        return [en, `${tr} ${en.length}`] as [string, string];
      }),
      { maxLength: 8 },
    ),
  }),
  { maxLength: 10 },
);
const heldOutArb: fc.Arbitrary<HeldOutPackages> = fc
  .array(fc.constantFrom<'dev' | 'test' | 'train'>('dev', 'test', 'train'), {
    minLength: 6,
    maxLength: 6,
  })
  .map((roles) => ({
    dev: roles.flatMap((r, i) => (r === 'dev' ? [`p${i}`] : [])),
    test: roles.flatMap((r, i) => (r === 'test' ? [`p${i}`] : [])),
  }));

describe('CorpusAssembler with held-out packages', () => {
  it('no normalised English string is in two files, in any language', () => {
    fc.assert(
      fc.property(fixtureArb, heldOutArb, (fixture, heldOut) => {
        const fileOf = new Map<string, CorpusFile>();
        for (const corpus of assemble(fixture, heldOut).values()) {
          for (const file of CORPUS_FILES) {
            for (const p of corpus.splits[file]) {
              const norm = normaliseEnglish(p.en);
              expect(fileOf.get(norm) ?? file, `'${norm}'`).toBe(file);
              fileOf.set(norm, file);
            }
          }
        }
      }),
    );
  });

  it('held-out packages never reach train/valid/test: those files equal a build without them', () => {
    fc.assert(
      fc.property(fixtureArb, heldOutArb, (fixture, heldOut) => {
        const held = new Set([...heldOut.dev, ...heldOut.test]);
        const withHeld = assemble(fixture, heldOut);
        const without = assemble(fixture.filter((f) => !held.has(f.pkg)));
        for (const lang of ['es', 'fr']) {
          for (const file of ['train', 'valid', 'test'] as const) {
            expect(withHeld.get(lang)?.splits[file] ?? []).toEqual(
              without.get(lang)?.splits[file] ?? [],
            );
          }
        }
      }),
    );
  });

  it('app-held-out strings come from their group and occur in no training package in any language', () => {
    fc.assert(
      fc.property(fixtureArb, heldOutArb, (fixture, heldOut) => {
        const group = (pkg: string) =>
          heldOut.dev.includes(pkg) ? 'dev' : heldOut.test.includes(pkg) ? 'test' : 'train';
        const inTraining = new Set(
          fixture
            .filter((f) => group(f.pkg) === 'train')
            .flatMap((f) => f.pairs.map(([en]) => normaliseEnglish(en))),
        );
        const result = assemble(fixture, heldOut);
        for (const [lang, corpus] of result) {
          for (const g of ['dev', 'test'] as const) {
            for (const p of corpus.splits[`${g}-apps`]) {
              expect(inTraining.has(normaliseEnglish(p.en)), p.en).toBe(false);
              const sources = fixture.filter(
                (f) => f.lang === lang && f.pairs.some(([en, tr]) => en === p.en && tr === p.tr),
              );
              expect(sources.some((f) => group(f.pkg) === g)).toBe(true);
            }
          }
          const s = corpus.stats;
          for (const g of ['dev', 'test'] as const) {
            const h = s.heldOut[g];
            expect(h.unique - h.inTraining - h.otherGroup).toBe(s.splits[`${g}-apps`]);
          }
        }
      }),
    );
  });

  it('a string of both held-out groups goes to the one its hash names; counts say why strings left', () => {
    const both = 'Rename layer';
    const other = sharedHeldOutGroup(normaliseEnglish(both)) === 'dev' ? 'test' : 'dev';
    const c = assemble(
      [
        { pkg: 'core', lang: 'es', pairs: [['Open', 'Abrir']] },
        {
          pkg: 'd',
          lang: 'es',
          pairs: [
            ['OPEN', 'ABRIR'],
            [both, 'Renombrar capa'],
            ['Blur', 'Desenfocar'],
          ],
        },
        {
          pkg: 't',
          lang: 'es',
          pairs: [
            [both, 'Cambiar nombre de capa'],
            ['Sharpen', 'Enfocar'],
          ],
        },
      ],
      { dev: ['d'], test: ['t'] },
    ).get('es');
    const mine = sharedHeldOutGroup(normaliseEnglish(both));
    expect(c?.splits[`${mine}-apps`].map((p) => p.en)).toContain(both);
    expect(c?.splits[`${other}-apps`].map((p) => p.en)).not.toContain(both);
    expect(c?.splits['dev-apps'].map((p) => p.en)).toContain('Blur');
    expect(c?.splits['test-apps'].map((p) => p.en)).toContain('Sharpen');
    expect(c?.stats.heldOut.dev).toEqual({
      unique: 3,
      inTraining: 1,
      otherGroup: mine === 'dev' ? 0 : 1,
    });
    expect(c?.stats.unique).toBe(1);
  });
});

describe('buildGettextCorpusFromDir with held-out packages', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('writes dev-apps/test-apps, records groups and counts in the manifest', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-heldout-test-'));
    dirs.push(dir);
    const mo = (pkg: string, pairs: [string, string][]) =>
      writeFile(
        join(dir, pkg, 'usr/share/locale/es/LC_MESSAGES', `${pkg}.mo`),
        writeMo(pairs.map(([msgid, s]) => ({ msgid, msgstr: [s] }))),
      );
    for (const p of ['core', 'gimp', 'vlc'])
      await mkdir(join(dir, p, 'usr/share/locale/es/LC_MESSAGES'), { recursive: true });
    await mo('core', [
      ['Open', 'Abrir'],
      ['Save', 'Guardar'],
    ]);
    await mo('gimp', [
      ['_Open', '_Abrir'],
      ['Flatten Image', 'Aplanar imagen'],
    ]);
    await mo('vlc', [
      ['Play', 'Reproducir'],
      ['Save', 'Guardar'],
    ]);
    const out = join(dir, 'out');
    const m = await buildGettextCorpusFromDir(dir, {
      out,
      langs: ['es'],
      heldOut: { dev: ['gimp'], test: ['vlc'] },
    });
    const read = async (f: string) =>
      parseTsv(await readFile(join(out, 'en-es', `${f}.tsv`), 'utf8')).map((p) => p.source);
    expect(await read('dev-apps')).toEqual(['Flatten Image']);
    expect(await read('test-apps')).toEqual(['Play']);
    expect(
      [...(await read('train')), ...(await read('valid')), ...(await read('test'))].sort(),
    ).toEqual(['Open', 'Save']);
    expect(m.heldOut).toEqual({ dev: ['gimp'], test: ['vlc'] });
    expect(m.packages.map((p) => [p.name, p.group])).toEqual([
      ['core', 'train'],
      ['gimp', 'dev'],
      ['vlc', 'test'],
    ]);
    expect(m.languages.es?.splits).toMatchObject({ 'dev-apps': 1, 'test-apps': 1 });
    expect(m.languages.es?.heldOut.dev).toEqual({ unique: 2, inTraining: 1, otherGroup: 0 });
    const onDisk = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(onDisk.formatVersion).toBe(2);
    expect(Object.keys(onDisk.files)).toEqual([...CORPUS_FILES]);
    await expect(
      buildGettextCorpusFromDir(dir, { out, langs: ['es'], heldOut: { dev: ['nope'], test: [] } }),
    ).rejects.toThrow(/held-out packages must be in the package list .*not there: nope/);
  });
});
