// Mnemonic accelerators (`_File`, `&Open`, `Save ~As`): detect them in English, strip them from a pair.

/** The three accelerator markers: GTK/GNU `_`, Qt/Windows `&`, LibreOffice `~`. */
export type AcceleratorMark = '_' | '&' | '~';

const ALNUM = /[\p{L}\p{N}]/u;
const ENTITY = /^&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/;

function occurrences(text: string, mark: AcceleratorMark): number[] {
  const at: number[] = [];
  for (let i = text.indexOf(mark); i >= 0; i = text.indexOf(mark, i + 1)) at.push(i);
  return at;
}

/** The index of the single `mark` in `text` that is followed by a letter or digit (not an entity), or -1. */
function singleMark(text: string, mark: AcceleratorMark): number {
  const at = occurrences(text, mark);
  if (at.length !== 1) return -1;
  const i = at[0] as number;
  const next = text[i + 1];
  if (next === undefined || !ALNUM.test(next)) return -1;
  if (mark === '&' && ENTITY.test(text.slice(i))) return -1;
  return i;
}

/**
 * The index of the mnemonic `mark` in an ENGLISH string, or -1. It must be the single `mark` in the
 * string, followed by a letter or digit, and not an HTML entity (`&amp;`). `~` may sit anywhere
 * (LibreOffice writes `E~xit`; `~/path` is kept since `/` is no letter). `_` and `&` at the start
 * of a word (`_File`, `Save &As`) are mnemonics; inside a word (`Lo_cked`, `Widt_h`: GTK does this)
 * only when a translation is given that does not contain that word verbatim, and the word is not
 * an ALL_CAPS name — identifiers such as `snake_case`, `user_cmnd`, `AT&T` are copied verbatim by
 * translators, mnemonics never are.
 * @example findMnemonic('Save _As', '_') // 5
 * @example findMnemonic('user_cmnd: %s', '_', 'user_cmnd : %s') // -1
 */
export function findMnemonic(text: string, mark: AcceleratorMark, translation?: string): number {
  const i = singleMark(text, mark);
  if (i < 0 || mark === '~') return i;
  const prev = i > 0 ? text[i - 1] : undefined;
  if (prev === undefined || !/[\p{L}\p{N}_]/u.test(prev)) return i;
  if (translation === undefined) return -1;
  let a = i;
  while (a > 0 && /[\p{L}\p{N}_&]/u.test(text[a - 1] as string)) a--;
  let b = i + 1;
  while (b < text.length && /[\p{L}\p{N}_&]/u.test(text[b] as string)) b++;
  const word = text.slice(a, b);
  if (translation.includes(word) || /^[\p{Lu}\p{N}_&]+$/u.test(word)) return -1;
  return i;
}

/**
 * Strip mnemonic accelerators from an English string and its translation. The English decides:
 * when it has a mnemonic (see findMnemonic) it is removed, and so is the translation's single
 * matching mark wherever it sits (translators move it: `Abbre_chen`). When the English has no such
 * mark at all, a translation's single mark is removed if it passes the same test against the
 * English (`Tutorials` → `_Didacticiels`). Anything else (`snake_case`, `a & b`, `~/path`) stays.
 * @example stripAccelerators('_Open', '_Abrir') // ['Open', 'Abrir']
 */
export function stripAccelerators(english: string, translation: string): [string, string] {
  let en = english;
  let tr = translation;
  for (const mark of ['_', '&', '~'] as const) {
    const i = findMnemonic(en, mark, translation);
    const englishHasNone = occurrences(en, mark).length === 0;
    if (i < 0 && !englishHasNone) continue;
    if (i >= 0) en = en.slice(0, i) + en.slice(i + 1);
    const j = singleMark(tr, mark);
    if (j < 0) continue;
    if (englishHasNone && findMnemonic(tr, mark, english) < 0) continue;
    tr = tr.slice(0, j) + tr.slice(j + 1);
  }
  return [en, tr];
}
