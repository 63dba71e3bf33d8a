// Word-level vocabulary with fixed special ids (PAD=0, BOS=1, EOS=2, UNK=3) and validated JSON.

/** Padding id: ignored by the loss and masked out of attention. The special ids are shared by every seqlab vocabulary and model. */
export const PAD = 0;
/** Beginning-of-sequence id: the first decoder input. */
export const BOS = 1;
/** End-of-sequence id: finishes a hypothesis. */
export const EOS = 2;
/** Unknown-token id. */
export const UNK = 3;
/** The special tokens, at ids 0–3. */
export const SPECIAL_TOKENS = ['<pad>', '<s>', '</s>', '<unk>'] as const;

/** Serialised form of a Vocab. */
export interface VocabJSON {
  type: 'vocab';
  version: 1;
  /** All tokens in id order, specials first. */
  tokens: string[];
}

/** Options of Vocab.build. */
export interface VocabBuildOptions {
  /** Keep tokens seen at least this often (default 1). */
  minCount?: number;
  /** Most tokens in total, specials included (default unlimited). */
  maxSize?: number;
}

/**
 * A token ↔ id table. Ids 0–3 are always `<pad> <s> </s> <unk>`; unknown tokens encode to UNK.
 * @example
 * const v = Vocab.build([['hello', 'world'], ['hello']]);
 * v.encode(['hello', 'there']); // [4, 3]
 * v.decode([1, 4, 2]);          // ['hello'] (specials dropped)
 */
export class Vocab {
  private readonly tokens: readonly string[];
  private readonly ids: Map<string, number>;

  constructor(tokens: readonly string[]) {
    SPECIAL_TOKENS.forEach((t, i) => {
      if (tokens[i] !== t) {
        throw new Error(
          `Vocab: token ${i} must be ${JSON.stringify(t)} (specials are ${SPECIAL_TOKENS.join(' ')}), got ${JSON.stringify(tokens[i])}`,
        );
      }
    });
    this.tokens = [...tokens];
    this.ids = new Map();
    this.tokens.forEach((t, i) => {
      if (this.ids.has(t))
        throw new Error(
          `Vocab: duplicate token ${JSON.stringify(t)} at ids ${this.ids.get(t)} and ${i}`,
        );
      this.ids.set(t, i);
    });
  }

  /** Count tokens over sequences and keep the frequent ones (ties broken by token, so it is deterministic). */
  static build(sequences: Iterable<readonly string[]>, opts: VocabBuildOptions = {}): Vocab {
    const counts = new Map<string, number>();
    for (const seq of sequences) for (const t of seq) counts.set(t, (counts.get(t) ?? 0) + 1);
    for (const s of SPECIAL_TOKENS) counts.delete(s);
    const minCount = opts.minCount ?? 1;
    const sorted = [...counts]
      .filter(([, c]) => c >= minCount)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([t]) => t);
    const room =
      opts.maxSize === undefined
        ? sorted.length
        : Math.max(0, opts.maxSize - SPECIAL_TOKENS.length);
    return new Vocab([...SPECIAL_TOKENS, ...sorted.slice(0, room)]);
  }

  /** Number of tokens, specials included. */
  get size(): number {
    return this.tokens.length;
  }

  /** The id of `token`, or UNK. */
  id(token: string): number {
    return this.ids.get(token) ?? UNK;
  }

  /** The token of `id`; throws for an id outside [0, size). */
  token(id: number): string {
    const t = this.tokens[id];
    if (t === undefined) throw new Error(`Vocab: id ${id} out of range [0, ${this.tokens.length})`);
    return t;
  }

  /** Ids of `tokens`, optionally wrapped in BOS … EOS. */
  encode(tokens: readonly string[], opts: { bos?: boolean; eos?: boolean } = {}): number[] {
    const ids = tokens.map((t) => this.id(t));
    if (opts.bos) ids.unshift(BOS);
    if (opts.eos) ids.push(EOS);
    return ids;
  }

  /** Tokens of `ids`; stops at the first EOS and drops PAD/BOS unless `keepSpecials`. */
  decode(ids: readonly number[], opts: { keepSpecials?: boolean } = {}): string[] {
    const out: string[] = [];
    for (const id of ids) {
      if (!opts.keepSpecials) {
        if (id === EOS) break;
        if (id === PAD || id === BOS) continue;
      }
      out.push(this.token(id));
    }
    return out;
  }

  toJSON(): VocabJSON {
    return { type: 'vocab', version: 1, tokens: [...this.tokens] };
  }

  /** Rebuild from toJSON() output (a parsed object or a JSON string), checking its shape. */
  static fromJSON(json: unknown): Vocab {
    const v = typeof json === 'string' ? (JSON.parse(json) as unknown) : json;
    if (typeof v !== 'object' || v === null)
      throw new Error(`Vocab.fromJSON: expected an object, got ${v === null ? 'null' : typeof v}`);
    const o = v as Partial<VocabJSON>;
    if (o.type !== 'vocab')
      throw new Error(`Vocab.fromJSON: expected type "vocab", got ${JSON.stringify(o.type)}`);
    if (o.version !== 1)
      throw new Error(
        `Vocab.fromJSON: unsupported version ${JSON.stringify(o.version)} (valid: 1)`,
      );
    if (!Array.isArray(o.tokens) || !o.tokens.every((t) => typeof t === 'string')) {
      throw new Error('Vocab.fromJSON: expected "tokens" to be an array of strings');
    }
    return new Vocab(o.tokens);
  }
}
