// Text gettext catalog (.po) parser: msgctxt, plurals, multi-line strings, escapes; fuzzy and obsolete skipped.
import { type Catalog, type CatalogEntry, parseHeader } from './catalog';

/** Thrown for a malformed .po file; the message is `file:line: what was expected, what arrived`. */
export class PoSyntaxError extends Error {
  override name = 'PoSyntaxError';
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  '\\': '\\',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  "'": "'",
  '?': '?',
};

/** Decode one C-quoted string `"…"` (with trailing whitespace allowed) or throw with `where`. */
function unquote(s: string, where: string): string {
  const t = s.trim();
  if (t.length < 2 || t[0] !== '"')
    throw new PoSyntaxError(`${where}: expected a "quoted string", got ${JSON.stringify(t)}`);
  let out = '';
  let i = 1;
  for (;;) {
    const c = t[i];
    if (c === undefined)
      throw new PoSyntaxError(
        `${where}: unterminated string (no closing quote) in ${JSON.stringify(t)}`,
      );
    if (c === '"') {
      if (i !== t.length - 1)
        throw new PoSyntaxError(`${where}: text after the closing quote in ${JSON.stringify(t)}`);
      return out;
    }
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const e = t[i + 1];
    if (e === undefined)
      throw new PoSyntaxError(`${where}: unterminated string (ends in a backslash)`);
    if (ESCAPES[e] !== undefined) {
      out += ESCAPES[e];
      i += 2;
    } else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(t.slice(i + 1)) as RegExpExecArray;
      out += String.fromCharCode(Number.parseInt(m[0], 8));
      i += 1 + m[0].length;
    } else if (e === 'x' && /^[0-9a-fA-F]{1,2}/.test(t.slice(i + 2))) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(t.slice(i + 2)) as RegExpExecArray;
      out += String.fromCharCode(Number.parseInt(m[0], 16));
      i += 2 + m[0].length;
    } else {
      throw new PoSyntaxError(
        `${where}: unknown escape \\${e} (valid: \\n \\t \\r \\" \\\\ \\a \\b \\f \\v \\NNN \\xHH)`,
      );
    }
  }
}

interface Draft {
  context?: string;
  msgid?: string;
  msgidPlural?: string;
  msgstr: string[];
  fuzzy: boolean;
  line: number;
}

/**
 * Parse a .po catalog. Entries flagged `#, fuzzy` and obsolete `#~` entries are skipped; the header
 * entry fills `headers`.
 * @example
 * parsePo('msgid "Open"\nmsgstr "Abrir"\n', 'es.po').entries // [{ msgid: 'Open', msgstr: ['Abrir'] }]
 */
export function parsePo(text: string, name = '<po>'): Catalog {
  const entries: CatalogEntry[] = [];
  let headers: Record<string, string> = {};
  let draft: Draft | undefined;
  let pendingFuzzy = false;
  // Which field a continuation line ("…" alone) appends to.
  let append: ((s: string) => void) | undefined;

  const finish = () => {
    if (!draft) return;
    const d = draft;
    draft = undefined;
    append = undefined;
    if (d.msgid === undefined) throw new PoSyntaxError(`${name}:${d.line}: entry has no msgid`);
    if (d.msgstr.length === 0)
      throw new PoSyntaxError(`${name}:${d.line}: msgid ${JSON.stringify(d.msgid)} has no msgstr`);
    if (d.msgid === '' && d.context === undefined) {
      headers = parseHeader(d.msgstr[0] ?? '');
      return;
    }
    if (d.fuzzy) return;
    const e: CatalogEntry = { msgid: d.msgid, msgstr: Array.from(d.msgstr, (s) => s ?? '') };
    if (d.context !== undefined) e.context = d.context;
    if (d.msgidPlural !== undefined) e.msgidPlural = d.msgidPlural;
    entries.push(e);
  };

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((rawLine, idx) => {
    const lineNo = idx + 1;
    const where = `${name}:${lineNo}`;
    const line = rawLine.trim();
    if (line === '') return;
    if (line.startsWith('#')) {
      if (line.startsWith('#~')) return; // obsolete entry
      if (line.startsWith('#,') && /\bfuzzy\b/.test(line)) pendingFuzzy = true;
      return;
    }
    if (line.startsWith('"')) {
      if (!append)
        throw new PoSyntaxError(`${where}: string continuation with no keyword before it`);
      append(unquote(line, where));
      return;
    }
    const m = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$/s.exec(line);
    if (!m)
      throw new PoSyntaxError(
        `${where}: expected msgctxt, msgid, msgid_plural, msgstr or msgstr[N], got ${JSON.stringify(line.slice(0, 40))}`,
      );
    const [, keyword = '', index, rest = ''] = m;
    const value = unquote(rest, where);
    if (keyword === 'msgctxt' || keyword === 'msgid') {
      // A new entry starts at msgctxt, or at msgid unless it follows this entry's msgctxt.
      if (draft && (keyword === 'msgctxt' || draft.msgid !== undefined)) finish();
      if (!draft) {
        draft = { msgstr: [], fuzzy: pendingFuzzy, line: lineNo };
        pendingFuzzy = false;
      }
      const d: Draft = draft;
      if (keyword === 'msgctxt') {
        d.context = value;
        append = (s) => {
          d.context += s;
        };
      } else {
        d.msgid = value;
        append = (s) => {
          d.msgid += s;
        };
      }
      return;
    }
    if (!draft || draft.msgid === undefined)
      throw new PoSyntaxError(`${where}: ${keyword} before any msgid`);
    const d: Draft = draft;
    if (keyword === 'msgid_plural') {
      d.msgidPlural = value;
      append = (s) => {
        d.msgidPlural += s;
      };
      return;
    }
    const n = index === undefined ? 0 : Number(index);
    if (index !== undefined && d.msgidPlural === undefined)
      throw new PoSyntaxError(`${where}: msgstr[${n}] without msgid_plural`);
    d.msgstr[n] = value;
    append = (s) => {
      d.msgstr[n] += s;
    };
  });
  finish();
  return { name, entries, headers, warnings: [] };
}
