// Pure corpus assembly: catalogs in; cleaned, de-duplicated pairs routed to in-domain and app-held-out splits out.
import type { Catalog } from './catalog';
import { headerPlurals } from './catalog';
import {
  type CleanOptions,
  cleanPair,
  DEFAULT_CLEAN,
  type DropReason,
  normaliseEnglish,
  splitLines,
} from './clean';
import {
  type HeldOutGroup,
  type HeldOutPackages,
  type PackageGroup,
  packageGroups,
  sharedHeldOutGroup,
} from './held-out';
import { type CorpusSplit, DEFAULT_CORPUS_SPLIT, type SplitFractions, splitOf } from './split';

/** One translation pair: English source, target-language translation. */
export interface TranslationPair {
  en: string;
  tr: string;
}

/**
 * The files of a corpus: the in-domain hash splits of the training packages (`train`, `valid`,
 * `test`) and the app-held-out splits (`dev-apps`, `test-apps`) of the held-out packages.
 */
export type CorpusFile = CorpusSplit | 'dev-apps' | 'test-apps';

/** Every corpus file, in the order builders write them. */
export const CORPUS_FILES: readonly CorpusFile[] = [
  'train',
  'valid',
  'test',
  'dev-apps',
  'test-apps',
];

const HELD_OUT_FILE: Record<HeldOutGroup, CorpusFile> = { dev: 'dev-apps', test: 'test-apps' };

/**
 * The raw (English, translation) pairs of a catalog: msgid→msgstr[0] for every translated message,
 * and for plurals also msgid_plural→msgstr[1] when the catalog has exactly two plural forms (es, fr,
 * de do; for other counts the plural form is not the English "other" form, so it is skipped).
 * Untranslated (empty msgstr) messages are skipped; contexts are dropped.
 */
export function catalogPairs(catalog: Catalog): TranslationPair[] {
  const nplurals = headerPlurals(catalog.headers);
  const pairs: TranslationPair[] = [];
  for (const e of catalog.entries) {
    const first = e.msgstr[0] ?? '';
    if (first !== '') pairs.push({ en: e.msgid, tr: first });
    if (e.msgidPlural !== undefined && e.msgstr.length === 2 && (nplurals ?? 2) === 2) {
      const second = e.msgstr[1] ?? '';
      if (second !== '') pairs.push({ en: e.msgidPlural, tr: second });
    }
  }
  return pairs;
}

/** What happened to the unique strings of one held-out group. */
export interface HeldOutStats {
  /** Unique (exact) English strings of the group's packages. */
  unique: number;
  /** Left out because their normalised English occurs in a training package (in any language). */
  inTraining: number;
  /** Left out because they also occur in the other held-out group and belong to it (by hash). */
  otherGroup: number;
}

/** Per-language counters of a build. */
export interface LanguageStats {
  catalogs: number;
  /** Catalog pairs (msgid/msgstr and plural pairs) before cleaning, all packages. */
  raw: number;
  /** Cleaned pairs, counting each line of a line-split multi-line pair, before de-duplication. */
  kept: number;
  /** Drops by reason; a multi-line pair whose line counts differ counts once as `multiline`. */
  dropped: Partial<Record<DropReason, number>>;
  /** Unique (exact) English strings of the training packages: train + valid + test. */
  unique: number;
  /** Pairs per corpus file. */
  splits: Record<CorpusFile, number>;
  /** The held-out groups before and after leaving out strings seen in training packages. */
  heldOut: Record<HeldOutGroup, HeldOutStats>;
}

/** The result of a build for one language, as arrays (small corpora and tests; builders stream). */
export interface LanguageCorpus {
  splits: Record<CorpusFile, TranslationPair[]>;
  stats: LanguageStats;
}

/** Options of CorpusAssembler; defaults in DEFAULT_CLEAN / DEFAULT_CORPUS_SPLIT, nothing held out. */
export interface AssembleOptions {
  clean: CleanOptions;
  split: SplitFractions;
  /** Packages whose strings go to the app-held-out splits only. */
  heldOut?: HeldOutPackages;
}

/**
 * Translation counts of one English string. Most strings have one translation seen once, kept as
 * the bare string (a Map per string would cost ~10× the memory at 500k strings).
 */
type Counts = string | Map<string, number>;

interface LangState {
  stats: Pick<LanguageStats, 'catalogs' | 'raw' | 'kept' | 'dropped'>;
  /** Exact cleaned English → translation counts, per package group. */
  groups: Record<PackageGroup, Map<string, Counts>>;
}

/** Bits of `seen`: the package groups a normalised English string occurs in (any language). */
const BIT: Record<PackageGroup, number> = { train: 1, dev: 2, test: 4 };

/**
 * Collects catalogs one at a time (memory stays at the unique-pair level) and then produces the
 * corpus. De-duplication is per exact cleaned English string (case kept: UI strings are
 * case-sensitive, `Open` and `open` may translate differently): the translation seen most often
 * wins, ties go to the smallest string in UTF-16 order, so the result does not depend on the order
 * catalogs were added.
 *
 * Routing. Training packages feed `train`/`valid`/`test` by the hash of the normalised English
 * (splitOf). Held-out packages (options.heldOut) feed only `dev-apps`/`test-apps`, and only with
 * strings whose normalised English occurs in no training package in any language; a string of both
 * held-out groups goes to one of them by hash (sharedHeldOutGroup). So no normalised English string
 * is in two files, and held-out packages contribute nothing to training.
 * @example
 * const asm = new CorpusAssembler({ heldOut: { dev: ['gnome-maps'], test: [] } });
 * asm.add('es', 'coreutils', parseMo(bytes, 'coreutils.mo'));
 * for (const { file, en, tr } of asm.pairs('es')) write(file, `${en}\t${tr}\n`);
 */
export class CorpusAssembler {
  private readonly opts: AssembleOptions;
  private readonly groupOf: Map<string, HeldOutGroup>;
  private readonly langs = new Map<string, LangState>();
  /** Normalised English → BIT mask of the package groups it was kept in, over all languages. */
  private readonly seen = new Map<string, number>();
  /** Kept (cleaned) pairs per package and language, before de-duplication. */
  readonly perPackage = new Map<string, Record<string, { catalogs: number; pairs: number }>>();

  constructor(opts: Partial<AssembleOptions> = {}) {
    this.opts = {
      clean: opts.clean ?? DEFAULT_CLEAN,
      split: opts.split ?? DEFAULT_CORPUS_SPLIT,
      ...(opts.heldOut ? { heldOut: opts.heldOut } : {}),
    };
    this.groupOf = packageGroups(opts.heldOut);
  }

  /** The group of a package: `dev` or `test` when held out, else `train`. */
  group(pkg: string): PackageGroup {
    return this.groupOf.get(pkg) ?? 'train';
  }

  /** The languages added so far, in the order they first appeared. */
  languages(): string[] {
    return [...this.langs.keys()];
  }

  /** Add one catalog of `pkg` in language `lang`. */
  add(lang: string, pkg: string, catalog: Catalog): void {
    let l = this.langs.get(lang);
    if (!l) {
      l = {
        stats: { catalogs: 0, raw: 0, kept: 0, dropped: {} },
        groups: { train: new Map(), dev: new Map(), test: new Map() },
      };
      this.langs.set(lang, l);
    }
    const group = this.group(pkg);
    const bit = BIT[group];
    const counts = l.groups[group];
    const pk = this.perPackage.get(pkg) ?? {};
    this.perPackage.set(pkg, pk);
    const pl = pk[lang] ?? { catalogs: 0, pairs: 0 };
    pk[lang] = pl;
    l.stats.catalogs++;
    pl.catalogs++;
    const drop = (reason: DropReason) => {
      l.stats.dropped[reason] = (l.stats.dropped[reason] ?? 0) + 1;
    };
    for (const p of catalogPairs(catalog)) {
      l.stats.raw++;
      const lines = splitLines(p.en, p.tr);
      if (!lines) {
        drop('multiline');
        continue;
      }
      for (const [en, tr] of lines) {
        const c = cleanPair(en, tr, this.opts.clean);
        if (!c.ok) {
          drop(c.reason);
          continue;
        }
        l.stats.kept++;
        pl.pairs++;
        const prev = counts.get(c.en);
        if (prev === undefined) {
          counts.set(c.en, c.tr);
          // Only held-out routing reads `seen`; without held-out packages it stays empty.
          if (this.groupOf.size > 0) {
            const norm = normaliseEnglish(c.en);
            this.seen.set(norm, (this.seen.get(norm) ?? 0) | bit);
          }
        } else if (typeof prev === 'string') {
          counts.set(
            c.en,
            new Map(
              prev === c.tr
                ? [[prev, 2]]
                : [
                    [prev, 1],
                    [c.tr, 1],
                  ],
            ),
          );
        } else {
          prev.set(c.tr, (prev.get(c.tr) ?? 0) + 1);
        }
      }
    }
  }

  /** The corpus file of a unique English string of `group`, or why it is left out. */
  private route(en: string, group: PackageGroup): CorpusFile | 'inTraining' | 'otherGroup' {
    if (group === 'train') return splitOf(en, this.opts.split);
    const norm = normaliseEnglish(en);
    const mask = this.seen.get(norm) ?? BIT[group];
    if (mask & BIT.train) return 'inTraining';
    if (mask & BIT[group === 'dev' ? 'test' : 'dev'] && sharedHeldOutGroup(norm) !== group)
      return 'otherGroup';
    return HELD_OUT_FILE[group];
  }

  /**
   * Every kept pair of `lang` with its corpus file, de-duplicated, training packages first and each
   * group sorted by English. Holds one sorted key array at a time, not the output.
   */
  *pairs(lang: string): Generator<{ file: CorpusFile; en: string; tr: string }> {
    const l = this.langs.get(lang);
    if (!l) return;
    for (const group of ['train', 'dev', 'test'] as const) {
      const counts = l.groups[group];
      for (const en of [...counts.keys()].sort(compare)) {
        const file = this.route(en, group);
        if (file === 'inTraining' || file === 'otherGroup') continue;
        yield { file, en, tr: best(counts.get(en) as Counts) };
      }
    }
  }

  /** The statistics of `lang` (undefined for a language never added). */
  stats(lang: string): LanguageStats | undefined {
    const l = this.langs.get(lang);
    if (!l) return undefined;
    const splits = Object.fromEntries(CORPUS_FILES.map((f) => [f, 0])) as Record<
      CorpusFile,
      number
    >;
    const heldOut: Record<HeldOutGroup, HeldOutStats> = {
      dev: { unique: 0, inTraining: 0, otherGroup: 0 },
      test: { unique: 0, inTraining: 0, otherGroup: 0 },
    };
    for (const group of ['train', 'dev', 'test'] as const) {
      for (const en of l.groups[group].keys()) {
        const r = this.route(en, group);
        if (group !== 'train') heldOut[group].unique++;
        if (r === 'inTraining' || r === 'otherGroup') heldOut[group as HeldOutGroup][r]++;
        else splits[r]++;
      }
    }
    return {
      ...l.stats,
      dropped: { ...l.stats.dropped },
      unique: l.groups.train.size,
      splits,
      heldOut,
    };
  }

  /** De-duplicate and split every language added so far into arrays (see pairs() to stream). */
  finish(): Map<string, LanguageCorpus> {
    const out = new Map<string, LanguageCorpus>();
    for (const lang of this.langs.keys()) {
      const splits = Object.fromEntries(CORPUS_FILES.map((f) => [f, []])) as unknown as Record<
        CorpusFile,
        TranslationPair[]
      >;
      for (const { file, en, tr } of this.pairs(lang)) splits[file].push({ en, tr });
      out.set(lang, { splits, stats: this.stats(lang) as LanguageStats });
    }
    return out;
  }
}

/** The most frequent translation, ties to the smallest in UTF-16 order. */
function best(counts: Counts): string {
  if (typeof counts === 'string') return counts;
  let top = '';
  let topCount = -1;
  for (const [tr, n] of counts) {
    if (n > topCount || (n === topCount && compare(tr, top) < 0)) {
      top = tr;
      topCount = n;
    }
  }
  return top;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
