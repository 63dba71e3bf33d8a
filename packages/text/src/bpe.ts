// Open-vocabulary BPE tokenizer: characters seen in training + UTF-8 byte fallback, trained with a pair heap.
import { learnMerges, PAIR } from './bpe-train';
import type { RandomFn } from './random';
import { fromUtf8, toWellFormed, utf8 } from './unicode';
import { BOS, EOS, PAD, SPECIAL_TOKENS, UNK } from './vocab';

/** Training options; every field has a default. */
export interface BpeOptions {
  /** Target vocabulary size, specials, placeholders, 256 bytes and the alphabet included (default 8000). */
  vocabSize: number;
  /** Number of reserved placeholder tokens ⟨ph0⟩…⟨ph{n-1}⟩ (default 16). */
  placeholders: number;
  /** Most characters in the base alphabet; rarer characters fall back to bytes (default 1000). */
  maxAlphabet: number;
  /** A character needs this many occurrences to enter the alphabet (default 2). */
  minCharCount: number;
  /** Stop merging when the best pair is rarer than this (default 2). */
  minPairCount: number;
}

export const DEFAULT_BPE: BpeOptions = {
  vocabSize: 8000,
  placeholders: 16,
  maxAlphabet: 1000,
  minCharCount: 2,
  minPairCount: 2,
};

/** Serialised BPE tokenizer: the alphabet as one string, merges as a flat [left, right, …] id list. */
export interface BpeJSON {
  type: 'bpe';
  version: 1;
  placeholders: number;
  alphabet: string;
  merges: number[];
}

const BYTES = 256;
/** Most placeholder tokens a tokenizer file may declare (the default is 16). */
const MAX_PLACEHOLDERS = 4096;
// Pre-tokens: an optional space glued to a run of letters, digits or other symbols; whitespace runs.
// The classes cover every code point, so splitting never loses text.
const PRETOKEN = / ?[\p{L}\p{M}]+| ?\p{N}+| ?[^\s\p{L}\p{M}\p{N}]+|\s+/gu;

/**
 * A byte-level-fallback BPE tokenizer. Ids: 0–3 specials (PAD BOS EOS UNK), then the placeholder
 * tokens ⟨ph0⟩…, then 256 byte tokens, then the alphabet, then one id per merge. Every string
 * encodes without UNK (unknown characters become their UTF-8 bytes) and `decode(encode(s))` equals
 * `toWellFormed(s)`: lone surrogates, which UTF-8 cannot carry, come back as U+FFFD. No lowercasing.
 * @example
 * const tok = BpeTokenizer.train(['Open file', 'Open folder'], { vocabSize: 300 });
 * tok.decode(tok.encode('Open ⟨ph0⟩ 🙂')); // 'Open ⟨ph0⟩ 🙂'
 */
export class BpeTokenizer {
  readonly placeholders: number;
  readonly alphabet: readonly string[];
  /** Flat [left, right] id pairs, merge i creates id `firstMergeId + i`. */
  readonly merges: readonly number[];
  private readonly charId = new Map<string, number>();
  private readonly ranks = new Map<number, number>();
  private readonly pieces: Uint8Array[] = [];
  private readonly cache = new Map<string, number[]>();

  private constructor(
    placeholders: number,
    alphabet: readonly string[],
    merges: readonly number[],
  ) {
    this.placeholders = placeholders;
    this.alphabet = alphabet;
    this.merges = merges;
    for (let i = 0; i < SPECIAL_TOKENS.length + placeholders; i++)
      this.pieces.push(new Uint8Array(0));
    for (let b = 0; b < BYTES; b++) this.pieces.push(Uint8Array.of(b));
    for (const ch of alphabet) {
      this.charId.set(ch, this.pieces.length);
      this.pieces.push(utf8(ch));
    }
    for (let m = 0; m + 1 < merges.length; m += 2) {
      const a = merges[m] as number;
      const b = merges[m + 1] as number;
      const pa = this.pieces[a];
      const pb = this.pieces[b];
      if (pa === undefined || pb === undefined || a < this.byteBase || b < this.byteBase) {
        throw new Error(
          `BpeTokenizer: merge ${m / 2} joins ids ${a} and ${b}; expected byte, alphabet or earlier merge ids below ${this.pieces.length}`,
        );
      }
      this.ranks.set(a * PAIR + b, m / 2);
      const joined = new Uint8Array(pa.length + pb.length);
      joined.set(pa);
      joined.set(pb, pa.length);
      this.pieces.push(joined);
    }
  }

  /** Id of byte 0. */
  get byteBase(): number {
    return SPECIAL_TOKENS.length + this.placeholders;
  }

  /** Id of the first merge. */
  get firstMergeId(): number {
    return this.byteBase + BYTES + this.alphabet.length;
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  /** The id of placeholder token ⟨ph{i}⟩. */
  placeholderId(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.placeholders) {
      throw new Error(`BpeTokenizer: placeholder ${i} out of range [0, ${this.placeholders})`);
    }
    return SPECIAL_TOKENS.length + i;
  }

  /** Human-readable piece of an id (specials by name, bytes as <0xNN>). */
  piece(id: number): string {
    if (id < SPECIAL_TOKENS.length) return SPECIAL_TOKENS[id] as string;
    if (id < this.byteBase) return `⟨ph${id - SPECIAL_TOKENS.length}⟩`;
    if (id < this.byteBase + BYTES)
      return `<0x${(id - this.byteBase).toString(16).toUpperCase().padStart(2, '0')}>`;
    const p = this.pieces[id];
    if (p === undefined)
      throw new Error(`BpeTokenizer: id ${id} out of range [0, ${this.pieces.length})`);
    return fromUtf8(p);
  }

  /** The base symbols of one pre-token: alphabet ids, else UTF-8 byte ids. */
  private symbols(word: string): number[] {
    const out: number[] = [];
    for (const ch of word) {
      const id = this.charId.get(ch);
      if (id !== undefined) out.push(id);
      else for (const b of utf8(ch)) out.push(this.byteBase + b);
    }
    return out;
  }

  private encodeWord(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const syms = this.merge(this.symbols(word), 0, null);
    if (this.cache.size < 100_000) this.cache.set(word, syms);
    return syms;
  }

  /**
   * Apply merges to one pre-token's symbols, best rank first, one position at a time (the same
   * segmentation as merging every occurrence of the best pair at once: a pair's other occurrences
   * keep the lowest rank, since any merge involving the new piece ranks after it).
   * BPE-dropout (Provilkov et al., 2020): with `p > 0` each candidate is skipped with probability
   * `p` at every step, and the word is done when no candidate survives; `p = 1` leaves the base
   * symbols.
   */
  private merge(syms: number[], p: number, random: RandomFn | null): number[] {
    for (;;) {
      let best = -1;
      let bestRank = Number.POSITIVE_INFINITY;
      for (let i = 0; i + 1 < syms.length; i++) {
        const r = this.ranks.get((syms[i] as number) * PAIR + (syms[i + 1] as number));
        if (r !== undefined && r < bestRank && (p === 0 || (random as RandomFn)() >= p)) {
          bestRank = r;
          best = i;
        }
      }
      if (best < 0) return syms;
      syms.splice(best, 2, this.firstMergeId + bestRank);
    }
  }

  /** Split text into pre-tokens and placeholder ids (only ⟨phN⟩ with N below `placeholders` are atomic). */
  private *pieces_(text: string): Generator<string | number> {
    const s = toWellFormed(text);
    const re = /⟨ph(\d+)⟩/g;
    let last = 0;
    for (const m of s.matchAll(re)) {
      const n = Number(m[1]);
      if (n >= this.placeholders || String(n) !== m[1]) continue;
      if (m.index > last) yield* s.slice(last, m.index).match(PRETOKEN) ?? [];
      yield SPECIAL_TOKENS.length + n;
      last = m.index + m[0].length;
    }
    if (last < s.length) yield* s.slice(last).match(PRETOKEN) ?? [];
  }

  /**
   * Token ids of `text` (never UNK), optionally wrapped in BOS … EOS.
   * @example
   * tok.encode('Save ⟨ph0⟩', { eos: true });
   * tok.encode('Unreconciled', { dropout: 0.1, random: makeRng(1) }); // a sampled segmentation
   */
  encode(
    text: string,
    opts: {
      bos?: boolean;
      eos?: boolean;
      /**
       * BPE-dropout for training (subword regularisation): each merge is skipped with this
       * probability, so the model sees many segmentations of a word. Needs `random`; default 0.
       */
      dropout?: number;
      /** The seeded generator BPE-dropout draws from (e.g. `makeRng(seed)`). */
      random?: RandomFn;
    } = {},
  ): number[] {
    const p = opts.dropout ?? 0;
    if (!(p >= 0 && p <= 1))
      throw new Error(`BpeTokenizer.encode: dropout must be in [0, 1], got ${p}`);
    if (p > 0 && !opts.random)
      throw new Error(
        'BpeTokenizer.encode: dropout > 0 needs a seeded `random` (e.g. makeRng(seed)), got none',
      );
    const ids: number[] = opts.bos ? [BOS] : [];
    for (const piece of this.pieces_(text)) {
      if (typeof piece === 'number') ids.push(piece);
      else
        for (const id of p > 0
          ? this.merge(this.symbols(piece), p, opts.random as RandomFn)
          : this.encodeWord(piece))
          ids.push(id);
    }
    if (opts.eos) ids.push(EOS);
    return ids;
  }

  /** Text of `ids`: PAD and BOS skipped, stops at EOS, UNK → U+FFFD, invalid byte runs → U+FFFD. */
  decode(ids: readonly number[]): string {
    const parts: string[] = [];
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length > 0) parts.push(fromUtf8(Uint8Array.from(bytes)));
      bytes = [];
    };
    for (const id of ids) {
      if (id === EOS) break;
      if (id === PAD || id === BOS) continue;
      if (id === UNK) {
        flush();
        parts.push('\uFFFD');
      } else if (id < this.byteBase) {
        flush();
        parts.push(`⟨ph${id - SPECIAL_TOKENS.length}⟩`);
      } else {
        const p = this.pieces[id];
        if (p === undefined)
          throw new Error(`BpeTokenizer.decode: id ${id} out of range [0, ${this.pieces.length})`);
        for (const b of p) bytes.push(b);
      }
    }
    flush();
    return parts.join('');
  }

  toJSON(): BpeJSON {
    return {
      type: 'bpe',
      version: 1,
      placeholders: this.placeholders,
      alphabet: this.alphabet.join(''),
      merges: [...this.merges],
    };
  }

  /** Rebuild from toJSON() output (object or JSON string), checking its shape. */
  static fromJSON(json: unknown): BpeTokenizer {
    const v = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
    if (typeof v !== 'object' || v === null)
      throw new Error(
        `BpeTokenizer.fromJSON: expected an object, got ${v === null ? 'null' : typeof v}`,
      );
    const o = v as Partial<BpeJSON>;
    if (o.type !== 'bpe')
      throw new Error(`BpeTokenizer.fromJSON: expected type "bpe", got ${JSON.stringify(o.type)}`);
    if (o.version !== 1)
      throw new Error(
        `BpeTokenizer.fromJSON: unsupported version ${JSON.stringify(o.version)} (valid: 1)`,
      );
    // Bounded: each placeholder gets a piece, so a corrupt file claiming 1e9 ran out of memory.
    const ph = o.placeholders as number;
    if (!Number.isInteger(ph) || ph < 0 || ph > MAX_PLACEHOLDERS) {
      throw new Error(
        `BpeTokenizer.fromJSON: "placeholders" must be a non-negative integer up to ${MAX_PLACEHOLDERS}, got ${JSON.stringify(o.placeholders)}`,
      );
    }
    if (typeof o.alphabet !== 'string')
      throw new Error('BpeTokenizer.fromJSON: "alphabet" must be a string');
    const alphabet = Array.from(o.alphabet);
    if (new Set(alphabet).size !== alphabet.length)
      throw new Error('BpeTokenizer.fromJSON: "alphabet" has repeated characters');
    if (
      !Array.isArray(o.merges) ||
      o.merges.length % 2 !== 0 ||
      !o.merges.every((m) => Number.isInteger(m))
    ) {
      throw new Error(
        'BpeTokenizer.fromJSON: "merges" must be an even-length array of integer ids',
      );
    }
    return new BpeTokenizer(o.placeholders as number, alphabet, o.merges);
  }

  /**
   * Train on a corpus (placeholders already protected as ⟨phN⟩). Pair counts are kept incrementally:
   * a merge only revisits the words that contain the merged pair, and a heap with lazy deletion picks
   * the next pair, so training is O(total merge work) rather than O(merges × corpus). Deterministic:
   * ties go to the smaller (left, right) id pair.
   */
  static train(texts: Iterable<string>, options: Partial<BpeOptions> = {}): BpeTokenizer {
    const o = { ...DEFAULT_BPE, ...options };
    const probe = new BpeTokenizer(o.placeholders, [], []);
    const wordCounts = new Map<string, number>();
    for (const t of texts) {
      for (const p of probe.pieces_(t))
        if (typeof p === 'string') wordCounts.set(p, (wordCounts.get(p) ?? 0) + 1);
    }
    const charCounts = new Map<string, number>();
    for (const [w, c] of wordCounts)
      for (const ch of w) charCounts.set(ch, (charCounts.get(ch) ?? 0) + c);
    const alphabet = [...charCounts]
      .filter(([, c]) => c >= o.minCharCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, o.maxAlphabet)
      .map(([ch]) => ch)
      .sort();
    const base = new BpeTokenizer(o.placeholders, alphabet, []);
    const words: number[][] = [];
    const freq: number[] = [];
    for (const [w, c] of wordCounts) {
      words.push(base.symbols(w));
      freq.push(c);
    }
    const merges = learnMerges(
      words,
      freq,
      base.firstMergeId,
      o.vocabSize - base.firstMergeId,
      o.minPairCount,
    );
    return new BpeTokenizer(o.placeholders, alphabet, merges);
  }
}
