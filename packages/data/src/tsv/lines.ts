// Strict text lines from bytes (pure): LF-split, UTF-8 checked per line, a leading BOM dropped, long lines refused.

/** Longest line the readers accept by default (bytes, line break excluded): 1 MiB. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

/** One line of input: its text, or why it was refused (the stream goes on after a bad line). */
export type TextLine =
  | { n: number; text: string; error?: undefined }
  | { n: number; text?: undefined; error: string };

/** Thrown by the strict readers for a bad line; the message names the file and line. */
export class TextLineError extends Error {
  override name = 'TextLineError';
  constructor(
    /** File (or stream) name. */
    readonly file: string,
    /** 1-based line number. */
    readonly line: number,
    why: string,
  ) {
    super(`${file}:${line}: ${why}`);
  }
}

export interface LineOptions {
  /** Longest accepted line in bytes; longer ones are reported, never buffered whole. Default 1 MiB. */
  maxLineBytes?: number;
}

// ignoreBOM: a U+FEFF inside the text is kept; only the file's first one is dropped (by us).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Index of the first byte of `b` that does not start or continue a valid UTF-8 sequence
 * (overlongs, surrogates and code points above U+10FFFF included), or -1 when `b` is valid.
 * @example firstInvalidUtf8(new Uint8Array([0x61, 0xff])) // 1
 */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c === 0xe0) lo = 0xa0; // overlong
      if (c === 0xed) hi = 0x9f; // surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c === 0xf0) lo = 0x90; // overlong
      if (c === 0xf4) hi = 0x8f; // > U+10FFFF
    } else return i;
    for (let k = 1; k < len; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += len;
  }
  return -1;
}

/** The text of one line's bytes, or the reason it is refused. */
function decodeLine(bytes: Uint8Array, n: number): TextLine {
  let b = bytes;
  if (n === 1 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  try {
    return { n, text: utf8.decode(b) };
  } catch {
    const at = Math.max(0, firstInvalidUtf8(b));
    const hex = (b[at] ?? 0).toString(16).padStart(2, '0');
    return {
      n,
      error: `not valid UTF-8 (byte 0x${hex} at byte ${at + 1} of the line); convert the file to UTF-8 (e.g. iconv -f latin1 -t utf-8)`,
    };
  }
}

function tooLong(n: number, bytes: number, max: number): TextLine {
  return {
    n,
    error: `line is ${bytes} bytes long; at most ${max} bytes are accepted (is this a text file with line breaks?)`,
  };
}

/**
 * Split a byte stream into lines at LF (a CR before it stays in the text: CRLF is the reader's to
 * strip, as parseTsvLine does), decoding each line as strict UTF-8 and dropping a byte-order mark at the very start. A bad line
 * (invalid UTF-8, longer than `maxLineBytes`) comes out as `{ n, error }` and the lines after it
 * still come; an over-long line is counted, not held in memory. A last line without LF is yielded
 * when it is not empty.
 *
 * @example
 * for await (const l of readLines(process.stdin)) if (l.error) warn(l.n, l.error); else use(l.text);
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  opts: LineOptions = {},
): AsyncGenerator<TextLine> {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let parts: Uint8Array[] = [];
  let size = 0; // bytes of the current line so far (counted past `max`, not kept)
  let n = 1;
  const flush = (): TextLine => {
    const line =
      size > max
        ? tooLong(n, size, max)
        : decodeLine(parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts, size), n);
    parts = [];
    size = 0;
    n++;
    return line;
  };
  for await (const chunk of chunks) {
    const c = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    let start = 0;
    for (;;) {
      const lf = c.indexOf(0x0a, start);
      const end = lf < 0 ? c.length : lf;
      if (end > start) {
        if (size + (end - start) <= max) parts.push(c.subarray(start, end));
        else parts = [];
        size += end - start;
      }
      if (lf < 0) break;
      yield flush();
      start = lf + 1;
    }
  }
  if (size > 0) {
    const last = flush();
    // A file of only a byte-order mark has no lines, like an empty one.
    if (last.n > 1 || last.text !== '') yield last;
  }
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Decode a whole file's bytes as strict UTF-8 text (a leading BOM dropped, line breaks kept):
 * an invalid byte or an over-long line throws a TextLineError naming `name` and the line.
 * @example decodeText(await readFile('captions.tsv'), 'captions.tsv')
 */
export function decodeText(bytes: Uint8Array, name: string, opts: LineOptions = {}): string {
  const max = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let b = bytes;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
  let text: string | undefined;
  try {
    text = utf8.decode(b);
  } catch {
    text = undefined;
  }
  if (text !== undefined && max === Number.POSITIVE_INFINITY) return text;
  // Slow path only to find the line of a problem: line lengths, or which line is not UTF-8.
  let start = 0;
  for (let n = 1; start <= b.length; n++) {
    const lf = b.indexOf(0x0a, start);
    const end = lf < 0 ? b.length : lf;
    if (end - start > max)
      throw new TextLineError(name, n, tooLong(n, end - start, max).error as string);
    if (text === undefined) {
      const l = decodeLine(b.subarray(start, end), 2); // n ≠ 1: the BOM is already gone
      if (l.error) throw new TextLineError(name, n, l.error);
    }
    if (lf < 0) break;
    start = lf + 1;
  }
  return text as string;
}
