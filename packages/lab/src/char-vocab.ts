// Character vocabulary: text → ids for the character-level lab models (0 = padding, 1 = unknown).
/** Id of padding. */
export const PAD = 0;
/** Id of a character outside the vocabulary. */
export const UNK = 1;

/**
 * Maps characters to ids. Build it from training text with {@link CharVocab.build}; ship it as
 * its `chars` string and restore it with `new CharVocab(chars)`.
 * @example
 * const v = CharVocab.build(['Open file', 'Abrir archivo'], { minCount: 1 });
 * v.encode('Open'); // [ids…]
 */
export class CharVocab {
  private readonly index = new Map<string, number>();

  /** `chars[i]` has id i + 2 (ids 0 and 1 are padding and unknown). */
  constructor(readonly chars: readonly string[]) {
    chars.forEach((c, i) => {
      if ([...c].length !== 1)
        throw new Error(`CharVocab: expected single characters, got ${JSON.stringify(c)}`);
      this.index.set(c, i + 2);
    });
  }

  /** Characters seen at least `minCount` times, most frequent first, at most `maxSize`. */
  static build(
    texts: Iterable<string>,
    opts: { minCount?: number; maxSize?: number } = {},
  ): CharVocab {
    const counts = new Map<string, number>();
    for (const t of texts) for (const c of t) counts.set(c, (counts.get(c) ?? 0) + 1);
    const chars = [...counts.entries()]
      .filter(([, n]) => n >= (opts.minCount ?? 1))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.maxSize ?? Number.POSITIVE_INFINITY)
      .map(([c]) => c);
    return new CharVocab(chars);
  }

  /** Number of ids including padding and unknown. */
  get size(): number {
    return this.chars.length + 2;
  }

  /** Ids of each code point of `text` (unknown characters → UNK). */
  encode(text: string): number[] {
    return [...text].map((c) => this.index.get(c) ?? UNK);
  }

  /** Display form of an id. */
  char(id: number): string {
    if (id === PAD) return '';
    return this.chars[id - 2] ?? '�';
  }
}

/**
 * Pads id sequences to one length (longer ones are cut) and returns row-major ids and mask.
 * @example const { ids, mask } = padBatch([[5, 6], [7]], 3); // ids [5,6,0,7,0,0], mask [1,1,0,1,0,0]
 */
export function padBatch(
  seqs: readonly number[][],
  length: number,
): { ids: Int32Array; mask: Float32Array } {
  if (!Number.isInteger(length) || length < 1)
    throw new Error(`padBatch: expected a positive length, got ${length}`);
  const ids = new Int32Array(seqs.length * length);
  const mask = new Float32Array(seqs.length * length);
  seqs.forEach((s, r) => {
    const n = Math.min(s.length, length);
    for (let t = 0; t < n; t++) {
      ids[r * length + t] = s[t] as number;
      mask[r * length + t] = 1;
    }
  });
  return { ids, mask };
}
