// Node-only gettext corpus builder: Debian packages (or a directory tree) → TSV splits + manifest.json.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { type CleanOptions, DEFAULT_CLEAN } from './clean';
import {
  type AssembleOptions,
  CorpusAssembler,
  type LanguageStats,
  type TranslationPair,
} from './corpus';
import { debVersion, ensureDeb, extractCatalogs, readPackageList, sha256File } from './deb';
import { selectCatalogs } from './layout';
import { parseMo } from './mo';
import { type CorpusSplit, DEFAULT_CORPUS_SPLIT, type SplitFractions } from './split';

/** Options of buildGettextCorpus; all but `out` have defaults. */
export interface BuildGettextOptions {
  /** Output directory: gets `en-<lang>/{train,valid,test}.tsv` and `manifest.json`. */
  out: string;
  /** Package list (one name a line). Default: `../shared/data/gettext-packages.txt` from the repo root. */
  packagesFile?: string;
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
  version: string;
  deb: string;
  sha256: string;
  /** Catalogs and kept (cleaned, pre-dedup) pairs per language. */
  languages: Record<string, { catalogs: number; pairs: number }>;
}

/** manifest.json: what went in and what came out. */
export interface GettextManifest {
  corpus: 'seqlab-gettext';
  formatVersion: 1;
  builtAt: string;
  parameters: {
    langs: string[];
    packagesFile: string | null;
    clean: CleanOptions;
    split: SplitFractions;
  };
  packages: ManifestPackage[];
  languages: Record<string, LanguageStats>;
  seconds: number;
}

/** The repo root (the nearest dir above `start` holding pnpm-workspace.yaml), or undefined. */
export function findRepoRoot(start = process.cwd()): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function defaults(opts: BuildGettextOptions) {
  const root = findRepoRoot();
  const packagesFile =
    opts.packagesFile ??
    (root ? join(root, '..', 'shared', 'data', 'gettext-packages.txt') : undefined);
  const cacheDir = opts.cacheDir ?? (root ? join(root, 'data-cache', 'debs') : undefined);
  if (!packagesFile || !cacheDir) {
    throw new Error(
      'buildGettextCorpus: no repo root (pnpm-workspace.yaml) above the cwd; pass packagesFile and cacheDir',
    );
  }
  return { packagesFile, cacheDir };
}

/**
 * Build the gettext translation corpus from exactly the packages in `packagesFile`: each .deb is taken
 * from `cacheDir` (or `apt-get download`ed there), its es/fr/de catalogs are extracted without
 * installing, parsed, cleaned, de-duplicated and split by English.
 * @example
 * const manifest = await buildGettextCorpus({ out: 'data-cache/gettext' });
 * manifest.languages.es.splits.train; // ≈ 100k
 */
export async function buildGettextCorpus(opts: BuildGettextOptions): Promise<GettextManifest> {
  const t0 = Date.now();
  const { packagesFile, cacheDir } = defaults(opts);
  const langs = opts.langs ?? ['es', 'fr', 'de'];
  const names = await readPackageList(packagesFile);
  await mkdir(cacheDir, { recursive: true });
  const asm = new CorpusAssembler(assembleOptions(opts));
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
      version,
      deb: relative(cacheDir, deb),
      sha256,
      languages: asm.perPackage.get(name) ?? {},
    });
    opts.onProgress?.({ done: i + 1, total: names.length, pkg: name, catalogs: catalogs.length });
  }
  return writeCorpus(asm, opts, langs, packages, packagesFile, t0);
}

/**
 * The same build from a directory instead of .debs: `dir/<package>/…/<lang>/LC_MESSAGES/*.mo`
 * (an extracted package tree per sub-directory). Used by tests and for catalogs you already have.
 */
export async function buildGettextCorpusFromDir(
  dir: string,
  opts: Omit<BuildGettextOptions, 'packagesFile' | 'cacheDir'>,
): Promise<GettextManifest> {
  const t0 = Date.now();
  const langs = opts.langs ?? ['es', 'fr', 'de'];
  const asm = new CorpusAssembler(assembleOptions(opts));
  const packages: ManifestPackage[] = [];
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const [i, name] of names.entries()) {
    const files = (await readdir(join(dir, name), { recursive: true })).map((f) => `./${f}`);
    const chosen = selectCatalogs(files, langs);
    for (const c of chosen) {
      const bytes = new Uint8Array(await readFile(join(dir, name, c.path)));
      addCatalog(asm, name, c.lang, bytes, `${name}:${c.path}`, opts.onWarning);
    }
    packages.push({
      name,
      version: '',
      deb: '',
      sha256: '',
      languages: asm.perPackage.get(name) ?? {},
    });
    opts.onProgress?.({ done: i + 1, total: names.length, pkg: name, catalogs: chosen.length });
  }
  return writeCorpus(asm, opts, langs, packages, null, t0);
}

function assembleOptions(opts: { clean?: CleanOptions; split?: SplitFractions }): AssembleOptions {
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
    // One broken catalog should not sink a 60-package build; it is reported and skipped.
    onWarning?.(`skipped ${where}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `en<TAB>tr` lines; cleaned strings hold no tabs or newlines (whitespace was normalised). */
function toTsv(pairs: TranslationPair[]): string {
  return pairs.map((p) => `${p.en}\t${p.tr}\n`).join('');
}

async function writeCorpus(
  asm: CorpusAssembler,
  opts: { out: string; clean?: CleanOptions; split?: SplitFractions },
  langs: string[],
  packages: ManifestPackage[],
  packagesFile: string | null,
  t0: number,
): Promise<GettextManifest> {
  const result = asm.finish();
  const languages: Record<string, LanguageStats> = {};
  for (const lang of langs) {
    const corpus = result.get(lang);
    const dir = join(opts.out, `en-${lang}`);
    await mkdir(dir, { recursive: true });
    for (const split of ['train', 'valid', 'test'] as CorpusSplit[]) {
      await writeFile(join(dir, `${split}.tsv`), toTsv(corpus?.splits[split] ?? []));
    }
    if (corpus) languages[lang] = corpus.stats;
  }
  const manifest: GettextManifest = {
    corpus: 'seqlab-gettext',
    formatVersion: 1,
    builtAt: new Date().toISOString(),
    parameters: {
      langs,
      packagesFile,
      clean: opts.clean ?? DEFAULT_CLEAN,
      split: opts.split ?? DEFAULT_CORPUS_SPLIT,
    },
    packages,
    languages,
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
  const empty = top.filter((p) => p.pairs === 0).map((p) => p.name);
  if (empty.length > 0) lines.push(`packages with no pairs: ${empty.join(', ')}`);
  lines.push(`built in ${m.seconds.toFixed(1)} s`);
  return lines.join('\n');
}
