// TSV parallel-corpus loader (`source<TAB>target`, the Tatoeba / Anki format): pure, string in.

/** Thrown for a malformed TSV corpus; the message names the file and line. */
export class TsvFormatError extends Error {
  override name = 'TsvFormatError';
}

/** Options of parseTsv. */
export interface TsvOptions {
  /** Name used in errors. Default `<tsv>`. */
  name?: string;
  /**
   * Zero-based [source, target] columns. Default [0, 1] (Anki / manythings: `en<TAB>fr<TAB>attribution`).
   * Tatoeba's `id<TAB>text<TAB>id<TAB>text` pair export is [1, 3].
   */
  columns?: [number, number];
}

/** One parallel sentence pair. */
export interface TsvPair {
  source: string;
  target: string;
}

/**
 * Parse a parallel corpus. Rules: a leading UTF-8 BOM is dropped; lines end in LF or CRLF; blank
 * lines are skipped; columns other than the two chosen ones are ignored (so trailing attribution
 * or id columns are fine); a line with too few columns is an error naming its line number. Fields
 * are taken verbatim (no quoting: TSV corpora do not quote, a `"` is just a character).
 * @example parseTsv('Hi.\tSalut.\tCC-BY 2.0\n') // [{ source: 'Hi.', target: 'Salut.' }]
 */
export function parseTsv(text: string, opts: TsvOptions = {}): TsvPair[] {
  const pairs: TsvPair[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const pair = parseTsvLine(lines[i] as string, i + 1, opts);
    if (pair) pairs.push(pair);
  }
  return pairs;
}

/**
 * One line of a corpus under parseTsv's rules (a trailing CR is dropped; a blank line gives
 * undefined; too few columns is a TsvFormatError naming `lineNumber`). Streaming readers use it so
 * that they and parseTsv agree; strip a leading BOM from the first line before calling.
 * @example parseTsvLine('Hi.\tSalut.', 1) // { source: 'Hi.', target: 'Salut.' }
 */
export function parseTsvLine(
  rawLine: string,
  lineNumber: number,
  opts: TsvOptions = {},
): TsvPair | undefined {
  const [si, ti] = opts.columns ?? [0, 1];
  const line = rawLine.replace(/\r$/, '');
  if (line.trim() === '') return undefined;
  const cols = line.split('\t');
  const need = Math.max(si, ti) + 1;
  if (cols.length < need) {
    throw new TsvFormatError(
      `${opts.name ?? '<tsv>'}:${lineNumber}: expected at least ${need} tab-separated columns (source in ${si + 1}, target in ${ti + 1}), ` +
        `got ${cols.length}: ${JSON.stringify(line.slice(0, 60))}`,
    );
  }
  return { source: cols[si] as string, target: cols[ti] as string };
}

/** Write pairs back as `source<TAB>target` lines; tabs and line breaks inside fields become spaces. */
export function formatTsv(pairs: readonly TsvPair[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  return pairs.map((p) => `${clean(p.source)}\t${clean(p.target)}\n`).join('');
}
