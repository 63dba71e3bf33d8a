// Spans a UI-string translator should copy rather than translate: URLs, e-mail addresses, file
// paths and names, identifiers (CamelCase, snake_case, letters with digits) and acronyms. The
// translation pipeline protects them as ⟨phN⟩ tokens (see protectVerbatim's `copy` option), so a
// name the model never saw comes back as written instead of re-spelt from subword pieces.
// `unseen` copies English words absent from the model's training sources (its word list).

/** The kinds of copy span; `protectVerbatim(text, { copy: [...] })` protects the ones listed. */
export type CopyClass = 'url' | 'email' | 'path' | 'file' | 'identifier' | 'acronym' | 'unseen';

/** Every copy class, in the order they are matched (earlier classes win overlaps). */
export const COPY_CLASSES: readonly CopyClass[] = [
  'url',
  'email',
  'path',
  'file',
  'identifier',
  'acronym',
  'unseen',
];

const FILE_EXTENSIONS =
  'txt|png|jpe?g|gif|svg|webp|bmp|tiff?|ico|pdf|html?|xml|json|ya?ml|toml|ini|conf|cfg|desktop|log|csv|tsv|zip|tar|t?gz|bz2|xz|zst|7z|rar|deb|rpm|apk|so|exe|dll|sh|py|js|ts|c|h|cc|cpp|hpp|rs|go|java|rb|pl|php|mo|po|pot|ogg|oga|opus|mp3|mp4|m4a|avi|mkv|webm|wav|flac|odt|ods|odp|odg|docx?|xlsx?|pptx?|rtf|epub|iso|img|db|sqlite|css|md|rc|key|pem|crt|gpg|asc|ttf|otf|woff2?|service|socket|timer';

/** Where a span may start: not inside a word (also not after `/` or `.`, which join paths and names). */
const START = String.raw`(?<![\p{L}\p{N}_@./\\-])`;
/** Where a span may end: not inside a word. */
const END = String.raw`(?![\p{L}\p{N}_])`;

/** A word as the `unseen` class reads one: two letters or more, not part of a name with digits or `_`. */
export const SOURCE_WORD = /(?<![\p{L}\p{N}_])\p{L}{2,}(?![\p{L}\p{N}_])/gu;

const PATTERNS: Record<CopyClass, RegExp> = {
  url: new RegExp(
    String.raw`${START}(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>"'\x60]*[^\s<>"'\x60.,;:!?)\]}]`,
    'giu',
  ),
  email: new RegExp(String.raw`${START}[\w.+-]+@[\w-]+(?:\.[\w-]+)+${END}`, 'gu'),
  // /usr/bin/env, ~/.config/app, ./configure, C:\Windows\System32 (two segments at least)
  path: new RegExp(
    String.raw`${START}(?:(?:~|\.{1,2})?/[\w.@%+~-]+(?:/[\w.@%+~-]*)+|(?:~|\.{1,2})/[\w.@%+~-]+|[A-Za-z]:\\[\w. -]+(?:\\[\w. -]+)*)(?<![. ])`,
    'gu',
  ),
  // report.pdf, .bashrc-style names with a known extension, *.txt
  file: new RegExp(
    String.raw`${START}(?:\*|[\w-]+(?:\.[\w-]+)*)\.(?:${FILE_EXTENSIONS})${END}`,
    'giu',
  ),
  // GitHub, gThumb, KRename, KWallet, x86_64, WCAG2, IPv6, H.264 (letters and digits mixed, inner
  // capitals, a run of capitals before two small letters or more, or _)
  identifier: new RegExp(
    String.raw`${START}(?:[\p{L}\p{N}]*\p{Ll}\p{Lu}[\p{L}\p{N}]*|\p{Lu}{2,}\p{Ll}{2,}[\p{L}\p{N}]*|[\p{L}\p{N}]+(?:_[\p{L}\p{N}]+)+|(?=[\p{L}.]*\p{N})(?=[\p{N}.]*\p{L})[\p{L}\p{N}]+(?:\.[\p{L}\p{N}]+)*)${END}`,
    'gu',
  ),
  // UDP, URLs, GTK+ — two capitals or more (not OK, which UI strings translate)
  acronym: new RegExp(String.raw`${START}\p{Lu}{2,}(?:s|\+)?${END}`, 'gu'),
  // A word (letters only, not part of a name with digits or _): copied when `seen` lacks it.
  unseen: SOURCE_WORD,
};

/** English endings a seen word may carry (ending → stem ending): "shots" is seen when "shot" is. */
const SUFFIXES: readonly (readonly [string, string])[] = [
  ['s', ''],
  ['es', ''],
  ['ies', 'y'],
  ['ed', ''],
  ['ed', 'e'],
  ['ing', ''],
  ['ing', 'e'],
  ['ly', ''],
  ['er', ''],
  ['ers', ''],
];

/**
 * The training sources' words as the `unseen` copy class reads them: each maximal run of two
 * letters or more, lowercased, once, sorted (deterministic, so a word list is reproducible).
 * @example sourceWords(['Open the file', 'open files']) // ['file', 'files', 'open', 'the']
 */
export function sourceWords(lines: Iterable<string>): string[] {
  const words = new Set<string>();
  for (const line of lines) collectSourceWords(line, words);
  return [...words].sort();
}

/**
 * Adds one line's words (as {@link sourceWords} reads them) to `into`: for a corpus read as a
 * stream, without holding its lines; `[...into].sort()` is then the list.
 */
export function collectSourceWords(line: string, into: Set<string>): void {
  for (const m of line.matchAll(/\p{L}{2,}/gu)) into.add(m[0].toLowerCase());
}

/**
 * Whether an English `word` is absent from `seen` (lowercased words, see {@link sourceWords}),
 * also as a stem with a common ending removed or as a plural: "Sabotage" is unseen, "shots" is
 * not if "shot" is (nor "shot" if "shots" is).
 * @example isUnseenWord('Kingdoms', new Set(['kingdom'])) // false
 */
export function isUnseenWord(word: string, seen: ReadonlySet<string>): boolean {
  const w = word.toLowerCase();
  if (w.length < 2 || seen.has(w) || seen.has(`${w}s`)) return false;
  for (const [end, stem] of SUFFIXES)
    if (w.endsWith(end) && w.length - end.length >= 3 && seen.has(w.slice(0, -end.length) + stem))
      return false;
  return true;
}

/** Options of {@link copySpans}. */
export interface CopySpanOptions {
  /** The model's source words (lowercase; {@link sourceWords}); needed by the `unseen` class. */
  seen?: ReadonlySet<string>;
}

/** Capitalised words UI strings translate, never copied as acronyms. */
const TRANSLATED_ACRONYMS = new Set(['OK', 'ID', 'AM', 'PM']);

/** An ordinal or a plain number with a unit suffix ("1st", "2nd", "10th") is translated, not copied. */
const ORDINAL = /^\d+(?:st|nd|rd|th)$/i;

/** Whether most letters of `text` are capitals (a shouted string: its words are not acronyms). */
function mostlyUpper(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const upper = text.match(/\p{Lu}/gu) ?? [];
  return letters.length >= 6 && upper.length / letters.length > 0.6;
}

/**
 * [start, end) code-unit ranges of `text` to copy verbatim, for the given classes, sorted and
 * non-overlapping (earlier classes in {@link COPY_CLASSES} win).
 * @example copySpans('See https://x.org or /etc/hosts via UDP', ['url', 'path', 'acronym'])
 * // [[4, 17], [21, 31], [36, 39]]
 */
export function copySpans(
  text: string,
  classes: readonly CopyClass[],
  opts: CopySpanOptions = {},
): [number, number][] {
  for (const c of classes) {
    if (!Object.hasOwn(PATTERNS, c))
      throw new Error(
        `copySpans: unknown copy class ${JSON.stringify(c)}; expected some of ${COPY_CLASSES.join(', ')}`,
      );
  }
  const seen = opts.seen;
  if (classes.includes('unseen') && !seen)
    throw new Error(
      "copySpans: the 'unseen' class needs the model's source words (opts.seen); got none",
    );
  const shouted = mostlyUpper(text);
  const taken: [number, number][] = [];
  const free = (a: number, b: number) => taken.every(([x, y]) => b <= x || a >= y);
  for (const c of COPY_CLASSES) {
    if (!classes.includes(c)) continue;
    if (c === 'acronym' && shouted) continue;
    for (const m of text.matchAll(PATTERNS[c])) {
      const value = m[0];
      if (c === 'acronym' && TRANSLATED_ACRONYMS.has(value)) continue;
      if (c === 'identifier' && (ORDINAL.test(value) || (shouted && !/\p{N}|_/u.test(value))))
        continue;
      if (c === 'unseen' && !isUnseenWord(value, seen as ReadonlySet<string>)) continue;
      const at = m.index ?? 0;
      if (free(at, at + value.length)) taken.push([at, at + value.length]);
    }
  }
  return taken.sort((a, b) => a[0] - b[0]);
}
