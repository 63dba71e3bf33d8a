// Placeholder protection: swap format specifiers for atomic ⟨phN⟩ tokens before tokenising, restore after.

/**
 * The recognised placeholder syntaxes, tried left to right at each position (first match wins):
 * - the reserved token itself, `⟨ph12⟩` (so protect→restore is the identity even on text that already
 *   contains one);
 * - LibreOffice / Windows names: `%PRODUCTNAME`, `%FILENAME%` (3+ capitals; tried before printf so
 *   `%EXTENSION` is not read as `%E`), `$(ARG1)`;
 * - printf / C / GNU gettext c-format: `%%`, `%s`, `%d`, `%1$s`, `%-5.2f`, `%lu`, `%lld`, `%zu`, `%*d`,
 *   `%m` (flags `-+#0`; a space flag is NOT accepted, so `50% done` is not a placeholder);
 * - C99 <inttypes.h> directives as gettext writes them: `%<PRIuMAX>`, `%<PRId64>`;
 * - GCC diagnostics (gcc-internal-format): `%qs`, `%qD`, `%#T`, `%L`, `%C` and the quote marks `%<` `%>`;
 * - Python named: `%(name)s`, `%(count)d`;
 * - Qt / Windows positional: `%1` … `%99` (only when not already a printf spec);
 * - brace / .NET / Python format: `{}`, `{0}`, `{name}`, `{0:.2f}`, `{name!r}`;
 * - shell / template variables: `${var}`, `$VAR`, `$var` (a letter or `_` first, so `$5` is not one).
 */
export const PLACEHOLDER_PATTERN =
  /⟨ph\d+⟩|\$\([A-Z0-9_]+\)|%(?:<PRI[A-Za-z0-9]+>|[A-Z][A-Z0-9_]{2,}%?|%|(?:\d+\$)?[-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnmCSDTLHVKJ]|[<>]|\([A-Za-z_][A-Za-z0-9_]*\)[-+#0]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|[1-9]\d?)|\{[A-Za-z0-9_]*(?:[:!][^{}\s]*)?\}|\$\{[A-Za-z_][A-Za-z0-9_.]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

const TOKEN_PATTERN = /⟨ph(\d+)⟩/g;

/** `text` with every placeholder removed (for "is there any real text here?" checks). */
export function removePlaceholders(text: string): string {
  return text.replace(PLACEHOLDER_PATTERN, ' ');
}

/** The reserved atomic token for placeholder number `i`, e.g. `⟨ph0⟩`. */
export function placeholderToken(i: number): string {
  return `⟨ph${i}⟩`;
}

/**
 * All placeholders of `text`, in order of appearance.
 * @example findPlaceholders('%1$s of {total}') // ['%1$s', '{total}']
 */
export function findPlaceholders(text: string): string[] {
  return text.match(PLACEHOLDER_PATTERN) ?? [];
}

/** A protected string and the placeholders its tokens stand for (`placeholders[i]` ↔ `⟨ph{i}⟩`). */
export interface Protected {
  text: string;
  placeholders: string[];
}

/**
 * Replace each placeholder with `⟨ph0⟩`, `⟨ph1⟩`, … in order of appearance; equal placeholders get
 * distinct tokens so restore() is exact.
 * @example protect('Copy %s to %s') // { text: 'Copy ⟨ph0⟩ to ⟨ph1⟩', placeholders: ['%s', '%s'] }
 */
export function protect(text: string): Protected {
  const placeholders: string[] = [];
  const out = text.replace(PLACEHOLDER_PATTERN, (m) => {
    placeholders.push(m);
    return placeholderToken(placeholders.length - 1);
  });
  return { text: out, placeholders };
}

/**
 * Protect a translation with the SOURCE's numbering, so `⟨ph1⟩` means the same thing on both sides:
 * placeholders are matched by placeholderKeys, so a reordered `%2$d de %1$s` against source
 * `%s of %d` gives `⟨ph1⟩ de ⟨ph0⟩` (restoreTranslation writes it back positionally). A target placeholder with no unused
 * equal source placeholder gets a fresh number past the source's (the pair then fails
 * `samePlaceholders` and a cleaner drops it).
 */
export function protectWith(text: string, sourcePlaceholders: readonly string[]): Protected {
  const used = new Array<boolean>(sourcePlaceholders.length).fill(false);
  const sourceKeys = placeholderKeys(sourcePlaceholders);
  const targetKeys = placeholderKeys(findPlaceholders(text));
  const placeholders = [...sourcePlaceholders];
  let k = 0;
  const out = text.replace(PLACEHOLDER_PATTERN, (m) => {
    const key = targetKeys[k++];
    for (let i = 0; i < sourcePlaceholders.length; i++) {
      if (!used[i] && sourceKeys[i] === key) {
        used[i] = true;
        return placeholderToken(i);
      }
    }
    placeholders.push(m);
    return placeholderToken(placeholders.length - 1);
  });
  return { text: out, placeholders };
}

/**
 * Put the placeholders back. Tokens whose number has no placeholder are left as they are.
 * @example restore('Copy ⟨ph0⟩ to ⟨ph1⟩', ['%s', '%d']) // 'Copy %s to %d'
 */
export function restore(text: string, placeholders: readonly string[]): string {
  return text.replace(TOKEN_PATTERN, (m, n: string) => placeholders[Number(n)] ?? m);
}

const PRINTF_ARG =
  /^%(?:(\d+)\$)?([-+#0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?(?:hh|h|ll|l|L|q|j|z|Z|t)?[diouxXeEfFgGaAcspnCSDTLHVKJ])$/;

/**
 * Comparison keys of placeholders, in order: a printf conversion that takes an argument becomes
 * `position:spec` (implicit positions counted 1, 2, … as printf does), so `%s … %d` and a
 * translator's reordered `%2$d … %1$s` get the same keys; anything else is its own key.
 * @example placeholderKeys(['%s', '%d']) // ['1:s', '2:d']
 */
export function placeholderKeys(placeholders: readonly string[]): string[] {
  let next = 1;
  return placeholders.map((ph) => {
    const m = PRINTF_ARG.exec(ph);
    if (!m) return ph;
    const pos = m[1] === undefined ? next++ : Number(m[1]);
    return `${pos}:${m[2]}`;
  });
}

/**
 * True when `a` and `b` hold the same multiset of placeholders (order free, counts matter), with
 * printf positions resolved: `%s of %d` and `%2$d de %1$s` match, `%s` and `%d` do not.
 */
export function samePlaceholders(a: string, b: string): boolean {
  const pa = placeholderKeys(findPlaceholders(a)).sort();
  const pb = placeholderKeys(findPlaceholders(b)).sort();
  return pa.length === pb.length && pa.every((p, i) => p === pb[i]);
}

/**
 * Restore a translation's placeholders. Like restore(), except that when printf conversions come
 * out in a different order than in the source, they are written positionally (`%2$d … %1$s`), so
 * the printf call still gets its arguments right.
 * @example restoreTranslation('⟨ph1⟩ de ⟨ph0⟩', ['%s', '%d']) // '%2$d de %1$s'
 */
export function restoreTranslation(text: string, placeholders: readonly string[]): string {
  const keys = placeholderKeys(placeholders);
  const order = [...text.matchAll(TOKEN_PATTERN)]
    .map((m) => Number(m[1]))
    .filter((i) => PRINTF_ARG.test(placeholders[i] ?? ''));
  const inOrder = order.every((v, k) => k === 0 || (order[k - 1] as number) < v);
  if (inOrder) return restore(text, placeholders);
  return text.replace(TOKEN_PATTERN, (m, n: string) => {
    const i = Number(n);
    const ph = placeholders[i];
    if (ph === undefined) return m;
    const key = keys[i] as string;
    if (!PRINTF_ARG.test(ph)) return ph;
    const c = key.indexOf(':');
    return `%${key.slice(0, c)}$${key.slice(c + 1)}`;
  });
}

/**
 * Make a decoded, still-protected output carry each of `count` tokens exactly once: out-of-range
 * tokens and repeats after the first are dropped, missing ones are appended (space-separated, in
 * order) at the end. Why appended rather than guessed into place: a visible, complete string is
 * better than a silently broken `printf`.
 * @example repairProtected('⟨ph1⟩ x ⟨ph1⟩ ⟨ph7⟩', 2) // '⟨ph1⟩ x ⟨ph0⟩'
 */
export function repairProtected(text: string, count: number): string {
  const seen = new Set<number>();
  let out = text.replace(/ ?⟨ph(\d+)⟩/g, (m, n: string) => {
    const i = Number(n);
    if (i >= count || seen.has(i)) return '';
    seen.add(i);
    return m;
  });
  const missing: string[] = [];
  for (let i = 0; i < count; i++) if (!seen.has(i)) missing.push(placeholderToken(i));
  if (missing.length > 0) out = out.length > 0 ? `${out} ${missing.join(' ')}` : missing.join(' ');
  return out;
}

/**
 * Repair then restore a model's protected output for a source protected as `source`.
 * @example repairAndRestore('Copiar ⟨ph0⟩', protect('Copy %s to %s')) // 'Copiar %s %s'
 */
export function repairAndRestore(output: string, source: Protected): string {
  return restoreTranslation(
    repairProtected(output, source.placeholders.length),
    source.placeholders,
  );
}

/** A run of plain text or one placeholder, as a UI shows them. */
export type PlaceholderSegment =
  | { kind: 'text'; value: string }
  | { kind: 'placeholder'; value: string };

/**
 * Split text into plain runs and placeholders (the {@link PLACEHOLDER_PATTERN} syntaxes) for
 * display; joining the values gives the input back. `%%` stays text: it is a literal percent sign.
 *
 * @example
 * splitPlaceholders('Open %s in {app}');
 * // [{kind:'text',value:'Open '},{kind:'placeholder',value:'%s'},{kind:'text',value:' in '},{kind:'placeholder',value:'{app}'}]
 */
export function splitPlaceholders(text: string): PlaceholderSegment[] {
  const out: PlaceholderSegment[] = [];
  let last = 0;
  const pushText = (s: string) => {
    if (!s) return;
    const prev = out[out.length - 1];
    if (prev?.kind === 'text') prev.value += s;
    else out.push({ kind: 'text', value: s });
  };
  for (const m of text.matchAll(PLACEHOLDER_PATTERN)) {
    const at = m.index ?? 0;
    pushText(text.slice(last, at));
    if (m[0] === '%%') pushText(m[0]);
    else out.push({ kind: 'placeholder', value: m[0] });
    last = at + m[0].length;
  }
  pushText(text.slice(last));
  return out;
}

/** The placeholders a UI shows for `text` ({@link splitPlaceholders}' placeholder segments), in order, with repeats. */
export function shownPlaceholders(text: string): string[] {
  return splitPlaceholders(text)
    .filter((s) => s.kind === 'placeholder')
    .map((s) => s.value);
}

/**
 * Placeholders of `source` that `target` lacks (as a multiset: a placeholder used twice must
 * appear twice). Empty when the translation kept them all.
 * @example missingPlaceholders('Open {file}', 'Abrir archivo') // ['{file}']
 */
export function missingPlaceholders(source: string, target: string): string[] {
  const have = new Map<string, number>();
  for (const p of shownPlaceholders(target)) have.set(p, (have.get(p) ?? 0) + 1);
  const missing: string[] = [];
  for (const p of shownPlaceholders(source)) {
    const n = have.get(p) ?? 0;
    if (n > 0) have.set(p, n - 1);
    else missing.push(p);
  }
  return missing;
}
