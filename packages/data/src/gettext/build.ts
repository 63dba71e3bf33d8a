// Node-only gettext corpus builder: Debian packages (or a directory tree) → TSV files + manifest.json, streamed.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageFile } from '../package-dir';
import { TsvFileWriter } from '../tsv/write';
import { type CleanOptions, DEFAULT_CLEAN } from './clean';
import { CORPUS_FILES, CorpusAssembler, type CorpusFile, type LanguageStats } from './corpus';
import {
  debVersion,
  downloadDebs,
  ensureDeb,
  extractCatalogs,
  readPackageList,
  sha256File,
} from './deb';
import { type HeldOutPackages, type PackageGroup, parseHeldOutList } from './held-out';
import { selectCatalogs } from './layout';
import { parseMo } from './mo';
import { DEFAULT_CORPUS_SPLIT, type SplitFractions } from './split';

/** The package list kept in the repo (a copy of `../shared/data/gettext-packages.txt`). */
export const DEFAULT_PACKAGES_FILE = packageFile('lists/gettext-packages.txt');

/** The held-out packages kept in the repo (`dev`/`test` groups; see chooseHeldOutPackages). */
export const DEFAULT_HELD_OUT_FILE = packageFile('lists/gettext-held-out.txt');

/** Options of buildGettextCorpus; all but `out` have defaults. */
export interface BuildGettextOptions {
  /** Output directory: gets `en-<lang>/{train,valid,test,dev-apps,test-apps}.tsv` and `manifest.json`. */
  out: string;
  /** Package list (one name a line). Default DEFAULT_PACKAGES_FILE (`packages/data/lists/gettext-packages.txt`). */
  packagesFile?: string;
  /**
   * Held-out list (`dev <package>` / `test <package>` lines); every package in it must be in the
   * package list. Default DEFAULT_HELD_OUT_FILE; `null` holds nothing out (no app-held-out splits).
   */
  heldOutFile?: string | null;
  /** Target languages. Default `['es', 'fr', 'de']`. */
  langs?: string[];
  /** Where .deb files are cached / downloaded. Default `<repo>/data-cache/debs`. */
  cacheDir?: string;
  clean?: CleanOptions;
  split?: SplitFractions;
  /** Called after each package. */
  onProgress?: (p: { done: number; total: number; pkg: string; catalogs: number }) => void;
  /** Non-fatal problems (unknown charsets, broken catalogs that were skipped). */
  onWarning?: (message: string) => void;
}

/** One package's line in the manifest. */
export interface ManifestPackage {
  name: string;
  /** `train` (feeds train/valid/test) or the held-out group it feeds (dev-apps / test-apps). */
  group: PackageGroup;
  version: string;
  deb: string;
  sha256: string;
  /** Catalogs and kept (cleaned, pre-dedup) pairs per language. */
  languages: Record<string, { catalogs: number; pairs: number }>;
}

/** manifest.json: what went in and what came out. */
export interface GettextManifest {
  corpus: 'seqlab-gettext';
  /** 2 added the app-held-out files, `heldOut` and each package's `group`. */
  formatVersion: 2;
  builtAt: string;
  parameters: {
    langs: string[];
    packagesFile: string | null;
    heldOutFile: string | null;
    clean: CleanOptions;
    split: SplitFractions;
  };
  /** The held-out packages per group (empty when nothing was held out). */
  heldOut: HeldOutPackages;
  packages: ManifestPackage[];
  languages: Record<string, LanguageStats>;
  /** The files of each language directory and what goes in them. */
  files: Record<CorpusFile, string>;
  seconds: number;
}

const FILE_DOCS: Record<CorpusFile, string> = {
  train: 'training packages, hash split (train)',
  valid: 'training packages, hash split (valid): in-domain validation',
  test: 'training packages, hash split (test): in-domain test',
  'dev-apps':
    'held-out dev packages, strings whose English is in no training package: choose checkpoints and hyper-parameters',
  'test-apps':
    'held-out test packages, strings whose English is in no training package: report once',
};

/** The repo root (the nearest dir above `start` holding pnpm-workspace.yaml), or undefined. */
export function findRepoRoot(start = process.cwd()): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function defaultCacheDir(opts: BuildGettextOptions): string {
  if (opts.cacheDir) return opts.cacheDir;
  const root = findRepoRoot() ?? findRepoRoot(fileURLToPath(import.meta.url));
  if (!root) {
    throw new Error(
      'buildGettextCorpus: no repo root (pnpm-workspace.yaml) above the cwd or this module; pass cacheDir',
    );
  }
  return join(root, 'data-cache', 'debs');
}

/** Read a held-out list and check each of its packages is one of `names` (from `listFile`). */
export async function readHeldOutFile(
  file: string,
  names: readonly string[],
  listFile: string,
): Promise<HeldOutPackages> {
  const h = parseHeldOutList(await readFile(file, 'utf8'), file);
  checkHeldOut(h, names, `${file}`, listFile);
  return h;
}

function checkHeldOut(h: HeldOutPackages, names: readonly string[], what: string, list: string) {
  const known = new Set(names);
  const missing = [...h.dev, ...h.test].filter((p) => !known.has(p));
  if (missing.length > 0) {
    throw new Error(
      `${what}: held-out packages must be in the package list ${list} (they are built, then kept out of training); ` +
        `not there: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}. ` +
        'Pass a held-out list that matches, or none (--no-held-out / heldOutFile: null).',
    );
  }
}

/**
 * Build the gettext translation corpus from exactly the packages in `packagesFile`: each .deb is taken
 * from `cacheDir` (or `apt-get download`ed there), its es/fr/de catalogs are extracted without
 * installing, parsed, cleaned and de-duplicated; training packages are split by English into
 * train/valid/test and the held-out packages (`heldOutFile`) give dev-apps/test-apps (see
 * CorpusAssembler for the rules). Files are streamed to disk; versions and sha256 go in manifest.json.
 * @example
 * const manifest = await buildGettextCorpus({ out: 'data-cache/gettext' });
 * manifest.languages.es.splits['dev-apps']; // held-out dev strings
 */
export async function buildGettextCorpus(opts: BuildGettextOptions): Promise<GettextManifest> {
  const t0 = Date.now();
  const packagesFile = opts.packagesFile ?? DEFAULT_PACKAGES_FILE;
  const heldOutFile = opts.heldOutFile === undefined ? DEFAULT_HELD_OUT_FILE : opts.heldOutFile;
  const cacheDir = defaultCacheDir(opts);
  const langs = opts.langs ?? ['es', 'fr', 'de'];
  const names = await readPackageList(packagesFile);
  const heldOut = heldOutFile
    ? await readHeldOutFile(heldOutFile, names, packagesFile)
    : { dev: [], test: [] };
  await mkdir(cacheDir, { recursive: true });
  await downloadDebs(names, cacheDir);
  const asm = new CorpusAssembler({ ...assembleOptions(opts), heldOut });
  const packages: ManifestPackage[] = [];
  for (const [i, name] of names.entries()) {
    const deb = await ensureDeb(name, cacheDir);
    const [version, sha256, catalogs] = await Promise.all([
      debVersion(deb),
      sha256File(deb),
      extractCatalogs(deb, langs),
    ]);
    for (const c of catalogs)
      addCatalog(asm, name, c.lang, c.bytes, `${name}:${c.path}`, opts.onWarning);
    packages.push({
      name,
      group: asm.group(name),
      version,
      deb: relative(cacheDir, deb),
      sha256,
      languages: asm.perPackage.get(name) ?? {},
    });
    opts.onProgress?.({ done: i + 1, total: names.length, pkg: name, catalogs: catalogs.length });
  }
  const params = { packagesFile, heldOutFile };
  return writeCorpus(asm, opts, langs, packages, params, heldOut, t0);
}

/**
 * The same build from a directory instead of .debs: `dir/<package>/…/<lang>/LC_MESSAGES/*.mo`
 * (an extracted package tree per sub-directory). Used by tests and for catalogs you already have.
 * `heldOut` names sub-directories to hold out (default none).
 */
export async function buildGettextCorpusFromDir(
  dir: string,
  opts: Omit<BuildGettextOptions, 'packagesFile' | 'cacheDir' | 'heldOutFile'> & {
    heldOut?: HeldOutPackages;
  },
): Promise<GettextManifest> {
  const t0 = Date.now();
  const langs = opts.langs ?? ['es', 'fr', 'de'];
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const heldOut = opts.heldOut ?? { dev: [], test: [] };
  checkHeldOut(heldOut, names, 'heldOut', `(the sub-directories of ${dir})`);
  const asm = new CorpusAssembler({ ...assembleOptions(opts), heldOut });
  const packages: ManifestPackage[] = [];
  for (const [i, name] of names.entries()) {
    const files = (await readdir(join(dir, name), { recursive: true })).map((f) => `./${f}`);
    const chosen = selectCatalogs(files, langs);
    for (const c of chosen) {
      const bytes = new Uint8Array(await readFile(join(dir, name, c.path)));
      addCatalog(asm, name, c.lang, bytes, `${name}:${c.path}`, opts.onWarning);
    }
    packages.push({
      name,
      group: asm.group(name),
      version: '',
      deb: '',
      sha256: '',
      languages: asm.perPackage.get(name) ?? {},
    });
    opts.onProgress?.({ done: i + 1, total: names.length, pkg: name, catalogs: chosen.length });
  }
  const params = { packagesFile: null, heldOutFile: null };
  return writeCorpus(asm, opts, langs, packages, params, heldOut, t0);
}

function assembleOptions(opts: { clean?: CleanOptions; split?: SplitFractions }) {
  return { clean: opts.clean ?? DEFAULT_CLEAN, split: opts.split ?? DEFAULT_CORPUS_SPLIT };
}

function addCatalog(
  asm: CorpusAssembler,
  pkg: string,
  lang: string,
  bytes: Uint8Array,
  where: string,
  onWarning?: (m: string) => void,
): void {
  try {
    const cat = parseMo(bytes, where);
    for (const w of cat.warnings) onWarning?.(w);
    asm.add(lang, pkg, cat);
  } catch (err) {
    // One broken catalog should not sink a 500-package build; it is reported and skipped.
    onWarning?.(`skipped ${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

async function writeCorpus(
  asm: CorpusAssembler,
  opts: { out: string; clean?: CleanOptions; split?: SplitFractions },
  langs: string[],
  packages: ManifestPackage[],
  params: { packagesFile: string | null; heldOutFile: string | null },
  heldOut: HeldOutPackages,
  t0: number,
): Promise<GettextManifest> {
  const languages: Record<string, LanguageStats> = {};
  for (const lang of langs) {
    const dir = join(opts.out, `en-${lang}`);
    await mkdir(dir, { recursive: true });
    const writers = new Map(CORPUS_FILES.map((f) => [f, new TsvFileWriter(join(dir, `${f}.tsv`))]));
    for (const { file, en, tr } of asm.pairs(lang))
      await (writers.get(file) as TsvFileWriter).write(en, tr);
    for (const w of writers.values()) await w.close();
    const stats = asm.stats(lang);
    if (stats) languages[lang] = stats;
  }
  const manifest: GettextManifest = {
    corpus: 'seqlab-gettext',
    formatVersion: 2,
    builtAt: new Date().toISOString(),
    parameters: {
      langs,
      ...params,
      clean: opts.clean ?? DEFAULT_CLEAN,
      split: opts.split ?? DEFAULT_CORPUS_SPLIT,
    },
    heldOut,
    packages,
    languages,
    files: FILE_DOCS,
    seconds: (Date.now() - t0) / 1000,
  };
  await writeFile(join(opts.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** A human-readable summary of a manifest (per-language counts, drop reasons, top packages). */
export function formatGettextStats(m: GettextManifest): string {
  const lines: string[] = [];
  for (const [lang, s] of Object.entries(m.languages)) {
    lines.push(
      `en-${lang}: ${s.catalogs} catalogs, ${s.raw} raw pairs, ${s.kept} kept, ${s.unique} unique → ` +
        `train ${s.splits.train}, valid ${s.splits.valid}, test ${s.splits.test}`,
    );
    for (const g of ['dev', 'test'] as const) {
      const h = s.heldOut[g];
      if (h.unique === 0) continue;
      lines.push(
        `  ${g}-apps: ${s.splits[`${g}-apps`]} of ${h.unique} unique held-out strings ` +
          `(${h.inTraining} also in training packages, ${h.otherGroup} given to the other group)`,
      );
    }
    const drops = Object.entries(s.dropped)
      .sort((a, b) => b[1] - a[1])
      .map(([r, n]) => `${r} ${n}`);
    lines.push(`  dropped: ${drops.join(', ') || 'none'}`);
  }
  const top = [...m.packages]
    .map((p) => ({
      name: p.name,
      pairs: Object.values(p.languages).reduce((a, l) => a + l.pairs, 0),
    }))
    .sort((a, b) => b.pairs - a.pairs);
  lines.push(
    `packages: ${m.packages.length}; most pairs: ${top
      .slice(0, 8)
      .map((p) => `${p.name} ${p.pairs}`)
      .join(', ')}`,
  );
  for (const g of ['dev', 'test'] as const) {
    if (m.heldOut[g].length > 0)
      lines.push(`held out for ${g}-apps (${m.heldOut[g].length}): ${m.heldOut[g].join(', ')}`);
  }
  const empty = top.filter((p) => p.pairs === 0).map((p) => p.name);
  if (empty.length > 0) lines.push(`packages with no pairs: ${empty.join(', ')}`);
  lines.push(`built in ${m.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
