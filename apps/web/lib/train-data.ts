// Validation of the data a user brings to /train, in the page before any training: each problem names the file and line.
import { parseTsvLine, TsvFormatError } from '@seqlab/data';

/** Limits of in-page training data (a browser tab holds it all in memory). */
export const TSV_LIMITS = {
  /** Fewer pairs cannot be split into training and validation. */
  minPairs: 20,
  maxPairs: 200_000,
  /** A field longer than this is almost surely a broken line (a missing line break). */
  maxFieldChars: 1_000,
  /** Problems listed before the rest are only counted. */
  maxErrors: 20,
} as const;

/** What validation found: the pairs to train on, or every problem (up to maxErrors). */
export type TsvValidation =
  | { ok: true; pairs: { source: string; target: string }[]; lines: number; skippedBlank: number }
  | { ok: false; errors: string[]; more: number };

/**
 * Validate a translation TSV (`source<TAB>target` per line; further columns ignored, blank lines
 * skipped; the rules of @seqlab/data's parseTsv) and also refuse empty fields, very long fields,
 * binary data and too few pairs. Errors read `name:line: what was expected, what arrived`.
 *
 * @example validateTranslationTsv('Open\tAbrir\n', 'pairs.tsv') // { ok: false, errors: ['pairs.tsv: expected at least 20 …'] }
 */
export function validateTranslationTsv(text: string, name: string): TsvValidation {
  const errors: string[] = [];
  let more = 0;
  const problem = (msg: string) => {
    if (errors.length < TSV_LIMITS.maxErrors) errors.push(msg);
    else more += 1;
  };
  if (text.includes('\u0000'))
    return {
      ok: false,
      errors: [
        `${name}: this is a binary file (it contains NUL bytes); expected UTF-8 text with one "source<TAB>target" pair per line`,
      ],
      more: 0,
    };
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const pairs: { source: string; target: string }[] = [];
  let blank = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    let pair: { source: string; target: string } | undefined;
    try {
      pair = parseTsvLine(raw, i + 1, { name });
    } catch (e) {
      if (!(e instanceof TsvFormatError)) throw e;
      const hint = raw.includes(',') || raw.includes(';') ? ' (is it a CSV? use tabs)' : '';
      problem(`${e.message}${hint}`);
      continue;
    }
    if (!pair) {
      if (i < lines.length - 1 || raw.trim() !== '') blank += 1;
      continue;
    }
    const s = pair.source.trim();
    const t = pair.target.trim();
    if (!s || !t)
      problem(
        `${name}:${i + 1}: expected text in both columns, got an empty ${!s ? 'source (column 1)' : 'target (column 2)'}`,
      );
    else if (s.length > TSV_LIMITS.maxFieldChars || t.length > TSV_LIMITS.maxFieldChars)
      problem(
        `${name}:${i + 1}: a field has ${Math.max(s.length, t.length)} characters, at most ${TSV_LIMITS.maxFieldChars} are accepted (a missing line break?)`,
      );
    else pairs.push({ source: s, target: t });
  }
  if (errors.length === 0 && pairs.length < TSV_LIMITS.minPairs)
    problem(
      `${name}: expected at least ${TSV_LIMITS.minPairs} sentence pairs (some are held out to validate), got ${pairs.length}`,
    );
  if (pairs.length > TSV_LIMITS.maxPairs)
    problem(
      `${name}: ${pairs.length} pairs; at most ${TSV_LIMITS.maxPairs.toLocaleString('en')} are trained in a page (use \`pnpm seqlab train translate\` for more)`,
    );
  return errors.length
    ? { ok: false, errors, more }
    : { ok: true, pairs, lines: lines.length, skippedBlank: blank };
}
