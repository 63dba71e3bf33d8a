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
  const name = opts.name ?? '<tsv>';
  const [si, ti] = opts.columns ?? [0, 1];
  const need = Math.max(si, ti) + 1;
  const pairs: TsvPair[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    const cols = line.split('\t');
    if (cols.length < need) {
      throw new TsvFormatError(
        `${name}:${i + 1}: expected at least ${need} tab-separated columns (source in ${si + 1}, target in ${ti + 1}), ` +
          `got ${cols.length}: ${JSON.stringify(line.slice(0, 60))}`,
      );
    }
    pairs.push({ source: cols[si] as string, target: cols[ti] as string });
  }
  return pairs;
}

/** Write pairs back as `source<TAB>target` lines; tabs and line breaks inside fields become spaces. */
export function formatTsv(pairs: readonly TsvPair[]): string {
  const clean = (s: string) => s.replace(/[\t\r\n]/g, ' ');
  return pairs.map((p) => `${clean(p.source)}\t${clean(p.target)}\n`).join('');
}
