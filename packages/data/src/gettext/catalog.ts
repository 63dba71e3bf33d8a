// Gettext catalog types shared by the .mo and .po parsers, and the header / plural helpers.

/** One message of a catalog. `msgstr` has one form, or one per plural form when `msgidPlural` is set. */
export interface CatalogEntry {
  /** msgctxt, when the message has one. */
  context?: string;
  msgid: string;
  msgidPlural?: string;
  msgstr: string[];
}

/** A parsed catalog: its messages (header entry excluded) and its header fields. */
export interface Catalog {
  /** Where it came from (file name), used in messages. */
  name: string;
  entries: CatalogEntry[];
  /** Header fields, e.g. `{ 'Content-Type': 'text/plain; charset=UTF-8', 'Plural-Forms': 'nplurals=2; …' }`. */
  headers: Record<string, string>;
  /** Non-fatal problems found while parsing. */
  warnings: string[];
}

/** Parse a catalog header (the msgstr of msgid "") into its `Key: value` fields. */
export function parseHeader(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return headers;
}

/** The charset a header declares (`charset=…` in Content-Type), lower-cased; 'utf-8' when absent or CHARSET. */
export function headerCharset(headers: Record<string, string>): string {
  const m = /charset=([^\s;]+)/i.exec(headers['Content-Type'] ?? '');
  const cs = m?.[1]?.toLowerCase();
  return !cs || cs === 'charset' ? 'utf-8' : cs;
}

/** `nplurals` from the Plural-Forms header, or undefined when it is missing or unreadable. */
export function headerPlurals(headers: Record<string, string>): number | undefined {
  const m = /nplurals\s*=\s*(\d+)/.exec(headers['Plural-Forms'] ?? '');
  return m?.[1] ? Number(m[1]) : undefined;
}
