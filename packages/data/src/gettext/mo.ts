// Binary gettext catalog (.mo) parser: pure, Uint8Array in, both byte orders, bounds-checked.
import { type Catalog, type CatalogEntry, headerCharset, parseHeader } from './catalog';

const MAGIC = 0x950412de;
const HEADER_BYTES = 28;

/** Thrown for a malformed .mo file; the message names the file and what was wrong. */
export class MoFormatError extends Error {
  override name = 'MoFormatError';
}

/**
 * Parse a .mo catalog. Keys are split into msgctxt (before U+0004), msgid and msgid_plural (U+0000
 * separated); values into msgstr[n]. The header entry (msgid "") fills `headers`, and its charset
 * decodes the strings: UTF-8, or any other label TextDecoder knows (ISO-8859-x, KOI8-R, …); an
 * unknown charset is decoded as UTF-8 with a warning. System-dependent strings (minor revision 1,
 * e.g. `Page %<PRIuMAX>`) are read too, rendered as msgunfmt prints them.
 * @example
 * const cat = parseMo(new Uint8Array(await readFile('coreutils.mo')), 'coreutils.mo');
 * cat.entries[0]; // { msgid: 'Copy', msgstr: ['Copiar'] }
 */
export function parseMo(bytes: Uint8Array, name = '<mo>'): Catalog {
  const fail = (what: string): never => {
    throw new MoFormatError(`${name}: not a valid .mo file: ${what}`);
  };
  if (bytes.length < HEADER_BYTES)
    fail(`expected at least ${HEADER_BYTES} header bytes, got ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let little: boolean;
  if (view.getUint32(0, true) === MAGIC) little = true;
  else if (view.getUint32(0, false) === MAGIC) little = false;
  else {
    const got = view.getUint32(0, false).toString(16).padStart(8, '0');
    return fail(`bad magic 0x${got}, expected 0x950412de (either byte order)`);
  }
  const u32 = (off: number) => view.getUint32(off, little);
  const major = u32(4) >>> 16;
  if (major > 1) fail(`unsupported major revision ${major} (valid: 0 or 1)`);
  const count = u32(8);
  const origTable = u32(12);
  const transTable = u32(16);
  for (const [label, table] of [
    ['original', origTable],
    ['translation', transTable],
  ] as const) {
    if (table + count * 8 > bytes.length || count > bytes.length) {
      fail(
        `${label} string table at ${table} with ${count} entries runs past the end (${bytes.length} bytes)`,
      );
    }
  }
  const slice = (table: number, i: number, label: string): Uint8Array => {
    const len = u32(table + i * 8);
    const off = u32(table + i * 8 + 4);
    // The trailing NUL is part of the format but not of the string; tolerate its absence at EOF.
    if (off + len > bytes.length) {
      fail(
        `${label} string ${i} at offset ${off} with length ${len} runs past the end (${bytes.length} bytes)`,
      );
    }
    return bytes.subarray(off, off + len);
  };
  const raw: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < count; i++)
    raw.push([slice(origTable, i, 'original'), slice(transTable, i, 'translation')]);
  if ((u32(4) & 0xffff) >= 1 && bytes.length >= 48) raw.push(...sysdepStrings(bytes, u32, fail));

  const warnings: string[] = [];
  const utf8 = new TextDecoder('utf-8');
  const headerPair = raw.find(([k]) => k.length === 0);
  const headers = headerPair ? parseHeader(utf8.decode(headerPair[1])) : {};
  const charset = headerCharset(headers);
  let decoder = utf8;
  if (charset !== 'utf-8' && charset !== 'utf8') {
    try {
      decoder = new TextDecoder(charset);
    } catch {
      warnings.push(`${name}: unknown charset "${charset}" in the header, decoded as UTF-8`);
    }
  }
  const entries: CatalogEntry[] = [];
  for (const [k, v] of raw) {
    if (k.length === 0) continue;
    let key = decoder.decode(k);
    let context: string | undefined;
    const eot = key.indexOf('\u0004');
    if (eot >= 0) {
      context = key.slice(0, eot);
      key = key.slice(eot + 1);
    }
    const [msgid = '', msgidPlural] = key.split('\u0000');
    const entry: CatalogEntry = { msgid, msgstr: decoder.decode(v).split('\u0000') };
    if (context !== undefined) entry.context = context;
    if (msgidPlural !== undefined) entry.msgidPlural = msgidPlural;
    entries.push(entry);
  }
  return { name, entries, headers, warnings };
}

/**
 * Minor-revision-1 "system-dependent" strings (msgfmt stores `%<PRIuMAX>`-style directives apart, as
 * static pieces plus named segments). They are rebuilt the way msgunfmt prints them: each segment
 * name is written back as `<NAME>` after its static piece.
 */
function sysdepStrings(
  bytes: Uint8Array,
  u32: (off: number) => number,
  fail: (what: string) => never,
): Array<[Uint8Array, Uint8Array]> {
  const nSegments = u32(28);
  const segTable = u32(32);
  const nStrings = u32(36);
  const origTab = u32(40);
  const transTab = u32(44);
  if (nStrings === 0) return [];
  const need = (off: number, len: number, what: string) => {
    if (off + len > bytes.length)
      fail(`${what} at offset ${off} with length ${len} runs past the end (${bytes.length} bytes)`);
  };
  need(segTable, nSegments * 8, 'system-dependent segment table');
  need(origTab, nStrings * 4, 'system-dependent original table');
  need(transTab, nStrings * 4, 'system-dependent translation table');
  const segName = (k: number): Uint8Array => {
    if (k >= nSegments) fail(`system-dependent segment ${k} out of range [0, ${nSegments})`);
    const len = u32(segTable + k * 8);
    const off = u32(segTable + k * 8 + 4);
    need(off, len, `system-dependent segment ${k}`);
    // The stored length counts the trailing NUL.
    const name = bytes.subarray(off, off + len);
    return name[name.length - 1] === 0 ? name.subarray(0, name.length - 1) : name;
  };
  const build = (desc: number): Uint8Array => {
    need(desc, 4, 'system-dependent string');
    let data = u32(desc);
    const parts: number[] = [];
    for (let p = desc + 4; ; p += 8) {
      need(p, 8, 'system-dependent string segment list');
      const size = u32(p);
      const ref = u32(p + 4);
      need(data, size, 'system-dependent string data');
      for (const b of bytes.subarray(data, data + size)) parts.push(b);
      data += size;
      if (ref === 0xffffffff) break;
      parts.push(0x3c, ...segName(ref), 0x3e); // '<' NAME '>'
    }
    // The static data keeps the string's terminating NUL; drop it as for ordinary strings.
    if (parts[parts.length - 1] === 0) parts.pop();
    return Uint8Array.from(parts);
  };
  const out: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < nStrings; i++)
    out.push([build(u32(origTab + i * 4)), build(u32(transTab + i * 4))]);
  return out;
}
