// Pure corpus assembly: catalogs in, cleaned, de-duplicated, split pairs and statistics out.
import type { Catalog } from './catalog';
import { headerPlurals } from './catalog';
import { type CleanOptions, cleanPair, DEFAULT_CLEAN, type DropReason, splitLines } from './clean';
import { type CorpusSplit, DEFAULT_CORPUS_SPLIT, type SplitFractions, splitOf } from './split';

/** One translation pair: English source, target-language translation. */
export interface TranslationPair {
  en: string;
  tr: string;
}

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

/** Per-language counters of a build. */
export interface LanguageStats {
  catalogs: number;
  /** Catalog pairs (msgid/msgstr and plural pairs) before cleaning. */
  raw: number;
  /** Cleaned pairs, counting each line of a line-split multi-line pair, before de-duplication. */
  kept: number;
  /** Drops by reason; a multi-line pair whose line counts differ counts once as `multiline`. */
  dropped: Partial<Record<DropReason, number>>;
  unique: number;
  splits: Record<CorpusSplit, number>;
}

/** The result of a build for one language. */
export interface LanguageCorpus {
  splits: Record<CorpusSplit, TranslationPair[]>;
  stats: LanguageStats;
}

/** Options of CorpusAssembler; defaults in DEFAULT_CLEAN / DEFAULT_CORPUS_SPLIT. */
export interface AssembleOptions {
  clean: CleanOptions;
  split: SplitFractions;
}

/**
 * Collects catalogs one at a time (memory stays at the unique-pair level) and then produces the
 * corpus. De-duplication is per exact cleaned English string (case kept: UI strings are
 * case-sensitive, `Open` and `open` may translate differently): the translation seen most often
 * wins, ties go to the smallest string in UTF-16 order, so the result does not depend on the order
 * catalogs were added.
 * @example
 * const asm = new CorpusAssembler();
 * asm.add('es', 'coreutils', parseMo(bytes, 'coreutils.mo'));
 * const { splits, stats } = asm.finish().get('es')!;
 */
export class CorpusAssembler {
  private readonly opts: AssembleOptions;
  private readonly langs = new Map<
    string,
    { stats: LanguageStats; counts: Map<string, Map<string, number>> }
  >();
  /** Kept (cleaned) pairs per package and language, before de-duplication. */
  readonly perPackage = new Map<string, Record<string, { catalogs: number; pairs: number }>>();

  constructor(opts: Partial<AssembleOptions> = {}) {
    this.opts = { clean: opts.clean ?? DEFAULT_CLEAN, split: opts.split ?? DEFAULT_CORPUS_SPLIT };
  }

  /** Add one catalog of `pkg` in language `lang`. */
  add(lang: string, pkg: string, catalog: Catalog): void {
    let l = this.langs.get(lang);
    if (!l) {
      l = {
        stats: {
          catalogs: 0,
          raw: 0,
          kept: 0,
          dropped: {},
          unique: 0,
          splits: { train: 0, valid: 0, test: 0 },
        },
        counts: new Map(),
      };
      this.langs.set(lang, l);
    }
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
        let byTr = l.counts.get(c.en);
        if (!byTr) {
          byTr = new Map();
          l.counts.set(c.en, byTr);
        }
        byTr.set(c.tr, (byTr.get(c.tr) ?? 0) + 1);
      }
    }
  }

  /** De-duplicate and split every language added so far; pairs in each split are sorted by English. */
  finish(): Map<string, LanguageCorpus> {
    const out = new Map<string, LanguageCorpus>();
    for (const [lang, { stats, counts }] of this.langs) {
      const splits: Record<CorpusSplit, TranslationPair[]> = { train: [], valid: [], test: [] };
      const english = [...counts.keys()].sort(compare);
      for (const en of english) {
        let best = '';
        let bestCount = -1;
        for (const [tr, n] of counts.get(en) ?? []) {
          if (n > bestCount || (n === bestCount && compare(tr, best) < 0)) {
            best = tr;
            bestCount = n;
          }
        }
        splits[splitOf(en, this.opts.split)].push({ en, tr: best });
      }
      const s: LanguageStats = {
        ...stats,
        unique: english.length,
        splits: {
          train: splits.train.length,
          valid: splits.valid.length,
          test: splits.test.length,
        },
      };
      out.set(lang, { splits, stats: s });
    }
    return out;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
