// Cleaning rules for (English, translation) pairs from UI catalogs, and de-duplication.
import { removePlaceholders, samePlaceholders } from '@seqlab/text';
import { stripAccelerators } from './accelerators';

/** Length limits and switches for cleanPair; every field has a default. */
export interface CleanOptions {
  /** Fewest whitespace-separated words on either side. */
  minWords: number;
  /** Most whitespace-separated words on either side. */
  maxWords: number;
  /** Most characters (UTF-16 units) on either side. */
  maxChars: number;
}

export const DEFAULT_CLEAN: CleanOptions = { minWords: 1, maxWords: 30, maxChars: 200 };

/** Why cleanPair dropped a pair (the builder counts these). */
export type DropReason =
  | 'multiline'
  | 'empty'
  | 'identical'
  | 'no-letters'
  | 'too-short'
  | 'too-long'
  | 'placeholder-mismatch'
  | 'credits';

export type CleanResult = { ok: true; en: string; tr: string } | { ok: false; reason: DropReason };

/** Collapse runs of whitespace (tabs, NBSP, …) to one space and trim. */
export function normaliseWhitespace(s: string): string {
  return s.replace(/\s+/gu, ' ').trim();
}

/** The split / grouping key of an English string: cleaned, whitespace-normalised, lower-cased. */
export function normaliseEnglish(en: string): string {
  return normaliseWhitespace(en).toLowerCase();
}

const CREDITS = /^(translator[-_ ]?credits|translator_credits|TRANSLATORS?:?.*)$/i;

/**
 * Split a multi-line pair into line pairs when both sides have the same number of non-blank lines
 * (gettext help texts such as `--help` output are translated line by line); otherwise return
 * undefined and the pair is dropped as `multiline`. A single-line pair comes back as itself.
 * @example splitLines('-a  all\n-l  long', '-a  todo\n-l  largo') // [['-a  all', '-a  todo'], ['-l  long', '-l  largo']]
 */
export function splitLines(english: string, translation: string): [string, string][] | undefined {
  const lines = (s: string) => s.split(/\r?\n|\r/).filter((l) => l.trim() !== '');
  const en = lines(english);
  const tr = lines(translation);
  if (en.length !== tr.length) return undefined;
  return en.map((l, i) => [l, tr[i] as string]);
}

/**
 * Apply the cleaning rules to one single-line pair (split multi-line ones with splitLines first), in
 * this order: drop strings that still hold a line break; strip mnemonic accelerators; normalise whitespace; drop empty,
 * credits, identical (untranslated / still English), letter-free (only placeholders, numbers or
 * punctuation), too short / too long, and pairs whose placeholders are not the same multiset.
 * @example cleanPair('_Open %s', '_Abrir %s') // { ok: true, en: 'Open %s', tr: 'Abrir %s' }
 */
export function cleanPair(
  english: string,
  translation: string,
  opts: CleanOptions = DEFAULT_CLEAN,
): CleanResult {
  if (/[\n\r]/.test(english) || /[\n\r]/.test(translation))
    return { ok: false, reason: 'multiline' };
  const [a, b] = stripAccelerators(english, translation);
  const en = normaliseWhitespace(a);
  const tr = normaliseWhitespace(b);
  if (en === '' || tr === '') return { ok: false, reason: 'empty' };
  if (CREDITS.test(en)) return { ok: false, reason: 'credits' };
  if (en === tr) return { ok: false, reason: 'identical' };
  // Placeholders go first so `%s` or `{name}` do not count as letters.
  const letters = (s: string) => /\p{L}/u.test(removePlaceholders(s));
  if (!letters(en) || !letters(tr)) return { ok: false, reason: 'no-letters' };
  for (const s of [en, tr]) {
    const words = s.split(' ').length;
    if (words < opts.minWords) return { ok: false, reason: 'too-short' };
    if (words > opts.maxWords || s.length > opts.maxChars) return { ok: false, reason: 'too-long' };
  }
  if (!samePlaceholders(en, tr)) return { ok: false, reason: 'placeholder-mismatch' };
  return { ok: true, en, tr };
}
