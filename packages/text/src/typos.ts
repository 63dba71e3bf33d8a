// Seeded keyboard-style typos for robustness checks: one edit (swap, deletion, insertion) inside one word of a string.
import type { RandomFn } from './random';

const LETTER_WORD = /^\p{L}{4,}$/u;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * With probability `rate`, one typo in one word of `text`: two neighbouring letters swapped, a
 * letter deleted or a lowercase letter inserted, never at the word's first or last letter. Only
 * words of four or more letters (separated by spaces) are touched, so placeholders, numbers,
 * URLs and markup stay as they are; a string without such a word is returned unchanged.
 * Deterministic in `random`.
 * @example addTypo('Open the selected file', 1, makeRng(7)); // e.g. 'Open the selceted file'
 */
export function addTypo(text: string, rate: number, random: RandomFn): string {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`addTypo: rate must be in [0, 1], got ${rate}`);
  if (rate === 0 || random() >= rate) return text;
  const words = text.split(' ');
  const candidates = words.flatMap((w, i) => (LETTER_WORD.test(w) ? [i] : []));
  if (candidates.length === 0) return text;
  const i = candidates[Math.floor(random() * candidates.length)] as number;
  const chars = Array.from(words[i] as string);
  const op = Math.floor(random() * 3);
  // Inner letters only: a swap takes k and k + 1 in 1 … length − 2, a deletion k, an insertion goes before k.
  const k = 1 + Math.floor(random() * (chars.length - (op === 0 ? 3 : 2)));
  if (op === 0) [chars[k], chars[k + 1]] = [chars[k + 1] as string, chars[k] as string];
  else if (op === 1) chars.splice(k, 1);
  else chars.splice(k, 0, LOWER[Math.floor(random() * LOWER.length)] as string);
  words[i] = chars.join('');
  return words.join(' ');
}
