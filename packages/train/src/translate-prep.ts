// Browser-safe preparation of a translation run from sentence pairs: split, joint BPE, encoded and length-bucketed batches.
import type { Seq2SeqBatch } from '@seqlab/seq2seq';
import {
  type BpeTokenizer,
  makeRng,
  protect,
  protectWith,
  Rng,
  sourceWords,
  trainTranslationTokenizers,
} from '@seqlab/text';
import { ArrayBatchSource } from './batch-source';
import type { BatchSource } from './trainer-types';

/** Options of {@link prepareTranslation}. */
export interface TranslationPrepOptions {
  /** Joint BPE vocabulary size (specials included). */
  vocabSize: number;
  /** Pairs with more tokens on either side (EOS included) are left out of training. */
  maxTokens: number;
  /** Pairs per batch. */
  batchSize: number;
  /** Share of the pairs held out for validation (0..0.5); at most `maxValid` pairs. */
  validFraction: number;
  maxValid: number;
  /** Seed of the train/validation split. */
  seed: number;
}

/** What a run trains on and validates with. */
export interface PreparedTranslation {
  tokenizer: BpeTokenizer;
  batches: Seq2SeqBatch[];
  /** Held-out pairs, translated through the pipeline at each validation. */
  valid: { source: string; target: string }[];
  /** Training pairs (before the length cut) and those kept. */
  trainPairs: number;
  keptPairs: number;
  /** Target tokens of one epoch (EOS included). */
  targetTokens: number;
  /** The training sources' words (`sourceWords` of @seqlab/text): the `unseen` copy class's list. */
  sourceWords: string[];
}

/**
 * Protect placeholders on both sides consistently, then BPE-encode with EOS on both sides; pairs
 * longer than `maxTokens` on either side are dropped (the same rule as `seqlab train translate`).
 */
export function encodeTranslationPairs(
  pairs: readonly { source: string; target: string }[],
  tok: BpeTokenizer,
  maxTokens: number,
): { src: number[]; tgt: number[] }[] {
  const out: { src: number[]; tgt: number[] }[] = [];
  for (const pair of pairs) {
    const { src, tgt } = protectPair(pair);
    const ids = { src: tok.encode(src, { eos: true }), tgt: tok.encode(tgt, { eos: true }) };
    if (ids.src.length <= maxTokens && ids.tgt.length <= maxTokens) out.push(ids);
  }
  return out;
}

/** Both sides with the source's placeholders protected as ⟨phN⟩, the target's matched to them. */
function protectPair({ source, target }: { source: string; target: string }): {
  src: string;
  tgt: string;
} {
  const p = protect(source);
  return { src: p.text, tgt: protectWith(target, p.placeholders).text };
}

/** Options of {@link BpeDropoutBatches}. */
export interface BpeDropoutOptions {
  /** Probability of skipping each merge (0 < p ≤ 1; 0.1 in Provilkov et al., 2020). */
  dropout: number;
  /** Pairs with more tokens on either side in the deterministic encoding are left out. */
  maxTokens: number;
  batchSize: number;
  /** Seeds each epoch's segmentations and batch order. */
  seed: number;
}

/**
 * Training batches with BPE-dropout (subword regularisation): every epoch both sides of every pair
 * are segmented anew, each merge skipped with probability `dropout`, so a word is seen in many
 * splits and an unseen one is less often mangled. The kept pairs are those whose deterministic
 * encoding fits `maxTokens` (the same set as without dropout, so the epoch has the same number of
 * batches); a sample longer than `maxTokens` falls back to the deterministic encoding. An epoch's
 * segmentations and batch order depend only on (seed, epoch): resuming at a position rebuilds the
 * same batches. Encoding runs at the epoch's first batch (a resume encodes once).
 *
 * @example
 * const data = new BpeDropoutBatches(pairs, tok, { dropout: 0.1, maxTokens: 48, batchSize: 64, seed: 1 });
 * new Trainer({ model, data });
 */
export class BpeDropoutBatches implements BatchSource<Seq2SeqBatch> {
  private readonly texts: { src: string; tgt: string }[] = [];
  private readonly tok: BpeTokenizer;
  private readonly opts: BpeDropoutOptions;
  private epoch = 0;
  private index = 0;
  private inner: ArrayBatchSource<Seq2SeqBatch> | null = null;
  /** The last epoch encoded (a caller that inspected an epoch's samples does not pay twice). */
  private encoded: { epoch: number; pairs: { src: number[]; tgt: number[] }[] } | null = null;

  constructor(
    pairs: readonly { source: string; target: string }[],
    tok: BpeTokenizer,
    opts: BpeDropoutOptions,
  ) {
    if (!(opts.dropout > 0 && opts.dropout <= 1))
      throw new Error(`BpeDropoutBatches: dropout must be in (0, 1], got ${opts.dropout}`);
    this.tok = tok;
    this.opts = opts;
    for (const pair of pairs) {
      const { src, tgt } = protectPair(pair);
      const fits =
        tok.encode(src, { eos: true }).length <= opts.maxTokens &&
        tok.encode(tgt, { eos: true }).length <= opts.maxTokens;
      if (fits) this.texts.push({ src, tgt });
    }
    if (this.texts.length === 0)
      throw new Error(
        `BpeDropoutBatches: no training pair has at most ${opts.maxTokens} tokens on both sides`,
      );
  }

  /** Pairs trained on (those whose deterministic encoding fits `maxTokens`). */
  get keptPairs(): number {
    return this.texts.length;
  }

  /** Batches per epoch (the same every epoch). */
  get batchesPerEpoch(): number {
    return Math.ceil(this.texts.length / this.opts.batchSize);
  }

  /** The encoded pairs of `epoch` (deterministic in seed and epoch; the last epoch's are kept). */
  encodeEpoch(epoch: number): { src: number[]; tgt: number[] }[] {
    if (this.encoded?.epoch === epoch) return this.encoded.pairs;
    const { dropout, maxTokens, seed } = this.opts;
    const random = makeRng(seed * 1_000_003 + epoch + 0x5eed);
    const sample = (text: string) => {
      const ids = this.tok.encode(text, { eos: true, dropout, random });
      return ids.length <= maxTokens ? ids : this.tok.encode(text, { eos: true });
    };
    const pairs = this.texts.map(({ src, tgt }) => ({ src: sample(src), tgt: sample(tgt) }));
    this.encoded = { epoch, pairs };
    return pairs;
  }

  startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.index = 0;
    this.inner = null;
  }

  next(): Seq2SeqBatch | null {
    if (!this.inner) {
      const batches = lengthBatches(this.encodeEpoch(this.epoch), this.opts.batchSize);
      this.inner = new ArrayBatchSource(batches, { shuffle: true, seed: this.opts.seed });
      this.inner.setPosition({ epoch: this.epoch, index: this.index });
    }
    const b = this.inner.next();
    if (b) this.index += 1;
    return b;
  }

  getPosition(): { epoch: number; index: number } {
    return { epoch: this.epoch, index: this.index };
  }

  setPosition(position: unknown): void {
    const p = position as { epoch?: unknown; index?: unknown };
    if (typeof p?.epoch !== 'number' || typeof p?.index !== 'number')
      throw new Error(
        `BpeDropoutBatches.setPosition: expected { epoch: number, index: number }, got ${JSON.stringify(position)}`,
      );
    this.startEpoch(p.epoch);
    this.index = p.index;
  }
}

/** Sort by source then target length so a batch pads little, then cut into batches of `batchSize`. */
export function lengthBatches(
  pairs: readonly { src: number[]; tgt: number[] }[],
  batchSize: number,
): Seq2SeqBatch[] {
  const sorted = [...pairs].sort(
    (a, b) => a.src.length - b.src.length || a.tgt.length - b.tgt.length,
  );
  const batches: Seq2SeqBatch[] = [];
  for (let i = 0; i < sorted.length; i += batchSize) {
    const chunk = sorted.slice(i, i + batchSize);
    batches.push({ src: chunk.map((p) => p.src), tgt: chunk.map((p) => p.tgt) });
  }
  return batches;
}

/**
 * Seeded split into training and validation pairs, a joint BPE tokenizer trained on the training
 * pairs only, and the training batches. Deterministic: the same pairs and options give the same
 * tokenizer and batches (a resumed run rebuilds them instead of storing them).
 *
 * @example
 * const prep = prepareTranslation(pairs, { vocabSize: 600, maxTokens: 40, batchSize: 16, validFraction: 0.1, maxValid: 50, seed: 1 });
 * new Trainer({ model, data: new ArrayBatchSource(prep.batches, { seed: 1 }) });
 */
export function prepareTranslation(
  pairs: readonly { source: string; target: string }[],
  opts: TranslationPrepOptions,
): PreparedTranslation {
  if (!(opts.validFraction >= 0 && opts.validFraction <= 0.5))
    throw new Error(
      `prepareTranslation: validFraction must be in 0..0.5, got ${opts.validFraction}`,
    );
  if (pairs.length < 2)
    throw new Error(`prepareTranslation: expected at least 2 sentence pairs, got ${pairs.length}`);
  const order = new Rng(opts.seed).shuffle(pairs.map((_, i) => i));
  const nValid = Math.min(opts.maxValid, Math.floor(pairs.length * opts.validFraction));
  const valid = order.slice(0, nValid).map((i) => pairs[i] as { source: string; target: string });
  const train = order.slice(nValid).map((i) => pairs[i] as { source: string; target: string });
  const tokenizer = trainTranslationTokenizers(
    train.map((p) => [p.source, p.target] as const),
    { joint: true, vocabSize: opts.vocabSize },
  ).source;
  const encoded = encodeTranslationPairs(train, tokenizer, opts.maxTokens);
  if (encoded.length === 0)
    throw new Error(
      `prepareTranslation: no training pair has at most ${opts.maxTokens} tokens on both sides; raise maxTokens or use shorter sentences`,
    );
  return {
    tokenizer,
    batches: lengthBatches(encoded, opts.batchSize),
    valid,
    trainPairs: train.length,
    keptPairs: encoded.length,
    targetTokens: encoded.reduce((n, p) => n + p.tgt.length, 0),
    sourceWords: sourceWords(train.map((p) => p.source)),
  };
}
