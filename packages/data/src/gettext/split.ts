// Deterministic train/valid/test split by a hash of the normalised English string.
import { normaliseEnglish } from './clean';

export type CorpusSplit = 'train' | 'valid' | 'test';

/** Fractions of the valid and test splits; train gets the rest. */
export interface SplitFractions {
  valid: number;
  test: number;
}

export const DEFAULT_CORPUS_SPLIT: SplitFractions = { valid: 0.02, test: 0.02 };

/**
 * 32-bit FNV-1a over the UTF-8 bytes of `s`, finished with murmur3's fmix32 so that the high bits
 * (which pick the split) are well mixed even for short strings. Changing this moves every split.
 */
export function splitHash(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(s)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The split of an English string. It depends only on the string (lower-cased, whitespace-normalised;
 * pass it accelerator-stripped), so one string never spans splits, every language puts it in the
 * same split, and adding packages never moves an existing string.
 * @example splitOf('Open File') // 'train' (96 % of strings)
 */
export function splitOf(
  english: string,
  fractions: SplitFractions = DEFAULT_CORPUS_SPLIT,
): CorpusSplit {
  const u = splitHash(normaliseEnglish(english)) / 2 ** 32;
  if (u < fractions.test) return 'test';
  if (u < fractions.test + fractions.valid) return 'valid';
  return 'train';
}
