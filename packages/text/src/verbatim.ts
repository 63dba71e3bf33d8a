// Spans a translation model must copy, not translate — placeholders, markup (tags, entities) and characters its tokenizer never saw — protected as ⟨phN⟩ tokens, restored verbatim and balanced.
import { type CopyClass, copySpans } from './copy-spans';
import {
  PLACEHOLDER_PATTERN,
  type Protected,
  placeholderToken,
  repairProtected,
  restoreTranslation,
} from './placeholders';

/** What a protected span is: a format placeholder, a markup tag or entity, or text the model cannot read. */
export type SpanKind = 'placeholder' | 'markup' | 'verbatim';

/** A protected string with the kind of each span (`kinds[i]` ↔ `placeholders[i]` ↔ `⟨ph{i}⟩`). */
export interface VerbatimProtected extends Protected {
  kinds: SpanKind[];
  /**
   * Markup written against its neighbours in the source (`<b>Save</b>`): bit 1 glued on the left,
   * bit 2 on the right. The token is set apart by a space there, because a model trained on
   * placeholders copies a word glued to one instead of translating it; restore takes the space out.
   */
  glue: number[];
}

export interface VerbatimOptions {
  /**
   * The characters the model was trained on (a tokenizer's alphabet); runs of any other
   * non-space character — emoji, scripts absent from training, control characters, U+FFFD — are
   * kept verbatim. Without it only placeholders and markup are protected.
   */
  known?: (ch: string) => boolean;
  /**
   * Kinds of name the model should copy rather than translate (URLs, e-mail addresses, paths,
   * file names, identifiers, acronyms: see {@link copySpans}), protected as verbatim spans.
   * Default none.
   */
  copy?: readonly CopyClass[];
  /** The model's source words, for the `unseen` copy class (see {@link copySpans}). */
  seen?: ReadonlySet<string>;
}

/** An HTML/XML/Pango tag: `<b>`, `</a>`, `<br/>`, `<a href="x.html">`, `<span weight='bold'>`. */
const TAG =
  String.raw`</?[A-Za-z][A-Za-z0-9:-]*(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>` +
  '`' +
  String.raw`]+))?)*\s*/?>`;
/** A character or entity reference: `&amp;`, `&nbsp;`, `&#169;`, `&#xA9;`. */
const ENTITY = '&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});';
const TAG_RE = new RegExp(`^${TAG}$`);
const ENTITY_RE = new RegExp(`^${ENTITY}$`);
/** Placeholders first (so `%<PRIu64>` and gcc's `%<` stay placeholders), then tags and entities. */
const SPAN_PATTERN = new RegExp(`${PLACEHOLDER_PATTERN.source}|${TAG}|${ENTITY}`, 'g');
/** HTML and Pango elements UI strings use for inline markup: markup even when left unclosed. */
const INLINE = new Set(
  'a b big code em font i kbd p s small span strong sub sup tt u br hr img'.split(' '),
);
/** Elements that never have a closing tag. */
const VOID = new Set(['br', 'hr', 'img', 'wbr', 'input', 'meta', 'link', 'col', 'area', 'source']);

interface Tag {
  name: string;
  closing: boolean;
  /** Self-closing (`<br/>`) or a void element. */
  empty: boolean;
  attributes: boolean;
}

function parseTag(s: string): Tag | null {
  if (!TAG_RE.test(s)) return null;
  const closing = s.startsWith('</');
  const name = (/^<\/?([A-Za-z][A-Za-z0-9:-]*)/.exec(s)?.[1] ?? '').toLowerCase();
  return { name, closing, empty: /\/>$/.test(s) || VOID.has(name), attributes: /=/.test(s) };
}

/**
 * Opening and closing tags that pair up (by name, innermost first, as a parser nests them):
 * `pairs.get(i) === j` for an opening tag i closed by tag j. Openings left unclosed inside a
 * closed element do not pair, so the pairs are always properly nested.
 */
function pairTags(tags: readonly (Tag | null)[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const open: number[] = [];
  tags.forEach((t, i) => {
    if (!t || t.empty) return;
    if (!t.closing) {
      open.push(i);
      return;
    }
    let at = open.length - 1;
    while (at >= 0 && tags[open[at] as number]?.name !== t.name) at--;
    if (at < 0) return;
    pairs.set(open[at] as number, i);
    open.length = at;
  });
  return pairs;
}

/**
 * Whether a tag found in text is markup (protected) or text that looks like a tag (left to the
 * model): closing tags, tags with attributes, self-closing and void tags, inline HTML/Pango
 * elements (`<b>`, `<i>`, `<span>`…) and opening tags whose closing partner follows are markup;
 * a lone `<file>` or `<dev>` is a command-line metavariable
 * that translators translate (`<fichero>`), so it stays text.
 */
function isMarkup(tag: Tag, paired: boolean): boolean {
  return tag.closing || tag.attributes || tag.empty || paired || INLINE.has(tag.name);
}

const JOINER = /[\u200d\u20e3\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}\u{e0020}-\u{e007f}]|\p{M}/u;
const WORD = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/u;

/**
 * [start, end) code-unit ranges of `text` the model cannot read: runs of characters `known` rejects
 * (whitespace never counts). A letter, mark or digit widens its range to its whole word (a name
 * such as `Øresund` is kept whole, not split mid-word); emoji joiners, variation selectors and
 * skin-tone modifiers join the character before them; ranges separated only by spaces merge, so a
 * sentence in another script is one span.
 */
function unreadableRanges(text: string, known: (ch: string) => boolean): [number, number][] {
  const chars = Array.from(text);
  const starts: number[] = [];
  let at = 0;
  for (const ch of chars) {
    starts.push(at);
    at += ch.length;
  }
  starts.push(at);
  const bad = chars.map((ch) => !SPACE.test(ch) && !known(ch));
  for (let i = 0; i < chars.length; i++) {
    if (!bad[i]) continue;
    if (WORD.test(chars[i] as string)) {
      for (let j = i - 1; j >= 0 && WORD.test(chars[j] as string); j--) bad[j] = true;
      for (let j = i + 1; j < chars.length && WORD.test(chars[j] as string); j++) bad[j] = true;
    }
    for (let j = i + 1; j < chars.length && JOINER.test(chars[j] as string); j++) bad[j] = true;
  }
  const ranges: [number, number][] = [];
  for (let i = 0; i < chars.length; i++) {
    if (!bad[i]) continue;
    let j = i;
    for (;;) {
      while (j + 1 < chars.length && bad[j + 1]) j++;
      let k = j + 1;
      while (k < chars.length && SPACE.test(chars[k] as string)) k++;
      if (k > j + 1 && k < chars.length && bad[k]) j = k;
      else break;
    }
    ranges.push([starts[i] as number, starts[j + 1] as number]);
    i = j;
  }
  return ranges;
}

/**
 * Replace every span the model must copy with `⟨ph0⟩`, `⟨ph1⟩`, … in order of appearance:
 * placeholders (exactly as {@link protect} does: text without markup or unknown characters gets
 * the same tokens), markup tags and entities (one token each, so each comes back verbatim), and,
 * with `known`, runs of characters the model never saw (one token per run).
 *
 * @example
 * protectVerbatim('<b>Save</b> %s &amp; exit 🙂', { known: (c) => c < '\u0080' });
 * // { text: '⟨ph0⟩ Save ⟨ph1⟩ ⟨ph2⟩ ⟨ph3⟩ exit ⟨ph4⟩',
 * //   placeholders: ['<b>', '</b>', '%s', '&amp;', '🙂'],
 * //   kinds: ['markup', 'markup', 'placeholder', 'markup', 'verbatim'], glue: [2, 1, 0, 0, 0] }
 */
export function protectVerbatim(text: string, opts: VerbatimOptions = {}): VerbatimProtected {
  const found = [...text.matchAll(SPAN_PATTERN)].map((m) => ({
    at: m.index ?? 0,
    value: m[0],
    tag: m[0].startsWith('<') ? parseTag(m[0]) : null,
  }));
  const pairs = pairTags(found.map((f) => f.tag));
  const paired = new Set<number>([...pairs.keys(), ...pairs.values()]);
  const spans: { at: number; end: number; kind: SpanKind }[] = [];
  found.forEach((f, i) => {
    const kind: SpanKind | null = f.tag
      ? isMarkup(f.tag, paired.has(i))
        ? 'markup'
        : null
      : ENTITY_RE.test(f.value)
        ? 'markup'
        : 'placeholder';
    if (kind) spans.push({ at: f.at, end: f.at + f.value.length, kind });
  });
  if (opts.known) {
    // Unreadable runs in the text between protected spans.
    const gaps: { at: number; end: number; kind: SpanKind }[] = [];
    let last = 0;
    for (const s of [...spans, { at: text.length, end: text.length, kind: 'verbatim' as const }]) {
      for (const [a, b] of unreadableRanges(text.slice(last, s.at), opts.known))
        gaps.push({ at: last + a, end: last + b, kind: 'verbatim' });
      last = s.end;
    }
    spans.push(...gaps);
    spans.sort((a, b) => a.at - b.at);
  }
  if (opts.copy && opts.copy.length > 0) {
    // Names to copy, in the text between the spans protected so far.
    const names: { at: number; end: number; kind: SpanKind }[] = [];
    let last = 0;
    for (const s of [...spans, { at: text.length, end: text.length, kind: 'verbatim' as const }]) {
      for (const [a, b] of copySpans(text.slice(last, s.at), opts.copy, {
        ...(opts.seen ? { seen: opts.seen } : {}),
      }))
        names.push({ at: last + a, end: last + b, kind: 'verbatim' });
      last = s.end;
    }
    spans.push(...names);
    spans.sort((a, b) => a.at - b.at);
  }
  const placeholders: string[] = [];
  const kinds: SpanKind[] = [];
  const glue: number[] = [];
  let out = '';
  let last = 0;
  for (const s of spans) {
    out += text.slice(last, s.at);
    const left = s.kind === 'markup' && s.at > 0 && !SPACE.test(text[s.at - 1] as string);
    const right = s.kind === 'markup' && s.end < text.length && !SPACE.test(text[s.end] as string);
    out += `${left && !out.endsWith(' ') ? ' ' : ''}${placeholderToken(placeholders.length)}${right ? ' ' : ''}`;
    placeholders.push(text.slice(s.at, s.end));
    kinds.push(s.kind);
    glue.push((left ? 1 : 0) | (right ? 2 : 0));
    last = s.end;
  }
  return { text: out + text.slice(last), placeholders, kinds, glue };
}

/** Take out the spaces {@link protectVerbatim} put beside glued markup tokens (one per side). */
function unglue(text: string, glue: readonly number[]): string {
  let out = text;
  glue.forEach((g, i) => {
    const t = placeholderToken(i);
    if (g & 1) out = out.replace(` ${t}`, t);
    if (g & 2) out = out.replace(`${t} `, t);
  });
  return out;
}

/** Whether protected text has anything left to translate: a letter or digit outside the ⟨phN⟩ tokens. */
export function hasTranslatableText(protectedText: string): boolean {
  return /[\p{L}\p{N}]/u.test(protectedText.replace(/⟨ph\d+⟩/g, ''));
}

/**
 * Make the paired tags of a repaired, still-protected output properly nested, each opening tag
 * before its closing partner, as in the source. When the model's order already is, the text is
 * returned unchanged; otherwise the paired-tag tokens keep their positions in the output but take
 * the source's order (a model reordering `<b>x</b>` into `</b>x<b>` gets `<b>x</b>` back).
 * Expects every token once (see {@link repairProtected}).
 * @example balanceMarkup('⟨ph1⟩Guardar⟨ph0⟩', ['<b>', '</b>']) // '⟨ph0⟩Guardar⟨ph1⟩'
 */
export function balanceMarkup(text: string, placeholders: readonly string[]): string {
  const pairs = pairTags(placeholders.map((p) => (p.startsWith('<') ? parseTag(p) : null)));
  if (pairs.size === 0) return text;
  const partner = new Map<number, number>();
  for (const [o, c] of pairs) {
    partner.set(o, c);
    partner.set(c, o);
  }
  const order = [...text.matchAll(/⟨ph(\d+)⟩/g)]
    .map((m) => Number(m[1]))
    .filter((i) => partner.has(i));
  const stack: number[] = [];
  let nested = true;
  for (const i of order) {
    if (pairs.has(i)) stack.push(i);
    else if (stack.pop() !== partner.get(i)) {
      nested = false;
      break;
    }
  }
  if (nested && stack.length === 0) return text;
  const sorted = [...order].sort((a, b) => a - b);
  let k = 0;
  return text.replace(/⟨ph(\d+)⟩/g, (m, n: string) =>
    partner.has(Number(n)) ? placeholderToken(sorted[k++] as number) : m,
  );
}

/**
 * Repair, balance and restore a model's protected output for a source protected by
 * {@link protectVerbatim}: every span exactly once (missing ones appended), tags nested as in
 * the source, printf arguments kept right (see {@link restoreTranslation}).
 * @example restoreVerbatim('⟨ph1⟩Guardar⟨ph0⟩', protectVerbatim('<b>Save</b>')) // '<b>Guardar</b>'
 */
export function restoreVerbatim(
  output: string,
  source: Protected & { glue?: readonly number[] },
): string {
  const n = source.placeholders.length;
  const balanced = balanceMarkup(repairProtected(output, n), source.placeholders);
  return restoreTranslation(unglue(balanced, source.glue ?? []), source.placeholders);
}
