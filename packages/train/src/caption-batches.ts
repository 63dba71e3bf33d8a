// Caption training data: word tokenisation of captions, Shapes batches generated on the fly, image-folder batches.
import {
  augmentChangesImages,
  augmentInto,
  type CaptionItem,
  drawAugment,
  generateScene,
  rgbaToRgb01,
  SHAPES_IMAGE_SIZE,
  type ShapesSplit,
  type StyleAugment,
} from '@seqlab/data';
import type { CaptionBatch } from '@seqlab/seq2seq';
import { captionTokens, type Vocab } from '@seqlab/text';
import type { BatchSource } from './trainer-types';

/** Deterministic 32-bit hash of two integers (batch seeds from position). */
export function mix(a: number, b: number): number {
  let h = (a * 0x9e3779b1) ^ (b + 0x7f4a7c15 + (a << 6) + (a >>> 2));
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Endless Shapes training stream: batch `i` of epoch `e` renders scenes `(e * perEpoch + i) * size + k`
 * of the train split, so a position {epoch, index} fully determines what comes next (exact resume).
 */
export class ShapesBatchSource implements BatchSource<CaptionBatch> {
  private epoch = 0;
  private index = 0;

  constructor(
    private readonly vocab: Vocab,
    private readonly opts: {
      seed: number;
      batchSize: number;
      batchesPerEpoch: number;
      split?: ShapesSplit;
    },
  ) {}

  startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.index = 0;
  }

  next(): CaptionBatch | null {
    if (this.index >= this.opts.batchesPerEpoch) return null;
    const { batchSize, seed } = this.opts;
    const base = (this.epoch * this.opts.batchesPerEpoch + this.index) * batchSize;
    this.index += 1;
    const S = SHAPES_IMAGE_SIZE;
    const images = new Float32Array(batchSize * S * S * 3);
    const captions: number[][] = [];
    for (let k = 0; k < batchSize; k++) {
      const scene = generateScene({
        seed,
        split: this.opts.split ?? 'train',
        index: (base + k) >>> 0,
      });
      rgbaToRgb01(scene.data, images, k * S * S * 3, [0, 0], S);
      // Two-object scenes have two references (both orders): pick one per scene, deterministically.
      const ref = scene.captions[mix(base + k, seed) % scene.captions.length] as string;
      captions.push(this.vocab.encode(captionTokens(ref), { eos: true }));
    }
    return { images, count: batchSize, captions, size: S };
  }

  getPosition(): { epoch: number; index: number } {
    return { epoch: this.epoch, index: this.index };
  }

  setPosition(p: unknown): void {
    const q = p as { epoch?: unknown; index?: unknown };
    if (typeof q?.epoch !== 'number' || typeof q?.index !== 'number') {
      throw new Error(
        `ShapesBatchSource.setPosition: expected { epoch, index } numbers, got ${JSON.stringify(p)}`,
      );
    }
    this.epoch = q.epoch;
    this.index = q.index;
  }
}

/**
 * Shuffled batches over in-memory images, with seeded augmentation: a random shift (helps a
 * captioner generalise across drawing styles) and, with `augment`, random scale and outlines
 * ({@link StyleAugment}). With `lengthBuckets` k > 1, each run of k batches is sorted by caption
 * length before it is cut into batches (batch order shuffled again), so a batch pads to a length
 * near its own and the decoder unrolls fewer steps. Position = {epoch, index}.
 */
export class ImageBatchSource implements BatchSource<CaptionBatch> {
  private batches: number[][] = [];
  private epoch = 0;
  private index = 0;
  private readonly augment: StyleAugment | null;

  constructor(
    private readonly items: readonly CaptionItem[],
    private readonly vocab: Vocab,
    private readonly opts: {
      seed: number;
      batchSize: number;
      maxShift: number;
      augment?: StyleAugment;
      lengthBuckets?: number;
      /** Side of the square images, in pixels (the model's imageSize; default 64). */
      size?: number;
    },
  ) {
    if (items.length === 0)
      throw new Error('ImageBatchSource: expected at least one image, got none');
    const s = opts.size ?? 64;
    for (const [i, it] of items.entries())
      if (it.rgba.length !== s * s * 4)
        throw new Error(
          `ImageBatchSource: image ${i} has ${it.rgba.length} RGBA values; expected ${s}×${s}×4 = ${s * s * 4} (load images at the model's imageSize)`,
        );
    const k = opts.lengthBuckets ?? 1;
    if (!Number.isInteger(k) || k < 1)
      throw new Error(`ImageBatchSource: lengthBuckets must be an integer ≥ 1, got ${k}`);
    const a = opts.augment;
    this.augment = a && augmentChangesImages(a) ? a : null;
    this.startEpoch(0);
  }

  /** The per-item hash of this epoch: it picks the caption and the augmentation. */
  private hash(id: number): number {
    return mix(mix(this.opts.seed, this.epoch), id);
  }

  private caption(id: number): string {
    const item = this.items[id] as CaptionItem;
    return item.captions[(this.hash(id) >>> 16) % item.captions.length] as string;
  }

  startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.index = 0;
    const order = this.items.map((_, i) => i);
    let s = mix(this.opts.seed, epoch);
    for (let i = order.length - 1; i > 0; i--) {
      s = mix(s, i);
      const j = s % (i + 1);
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    const { batchSize } = this.opts;
    const k = this.opts.lengthBuckets ?? 1;
    const batches: number[][] = [];
    if (k <= 1) {
      for (let i = 0; i < order.length; i += batchSize) batches.push(order.slice(i, i + batchSize));
      this.batches = batches;
      return;
    }
    const len = new Map<number, number>();
    for (const id of order) len.set(id, captionTokens(this.caption(id)).length);
    for (let i = 0; i < order.length; i += batchSize * k) {
      // Stable sort keeps the shuffle's order among equal lengths.
      const run = order
        .slice(i, i + batchSize * k)
        .sort((x, y) => (len.get(x) as number) - (len.get(y) as number));
      for (let j = 0; j < run.length; j += batchSize) batches.push(run.slice(j, j + batchSize));
    }
    let t = mix(s, 0x5bd1e995);
    for (let i = batches.length - 1; i > 0; i--) {
      t = mix(t, i);
      const j = t % (i + 1);
      [batches[i], batches[j]] = [batches[j] as number[], batches[i] as number[]];
    }
    this.batches = batches;
  }

  next(): CaptionBatch | null {
    const { maxShift } = this.opts;
    const s = this.opts.size ?? 64;
    const ids = this.batches[this.index];
    if (!ids) return null;
    this.index += 1;
    const images = new Float32Array(ids.length * s * s * 3);
    const captions: number[][] = [];
    ids.forEach((id, k) => {
      const item = this.items[id] as CaptionItem;
      const h = this.hash(id);
      if (this.augment) {
        augmentInto(item.rgba, images, k * s * s * 3, drawAugment(h, this.augment, maxShift), s);
      } else {
        const span = 2 * maxShift + 1;
        const shift: [number, number] =
          maxShift > 0 ? [(h % span) - maxShift, ((h >>> 8) % span) - maxShift] : [0, 0];
        rgbaToRgb01(item.rgba, images, k * s * s * 3, shift, s);
      }
      captions.push(this.vocab.encode(captionTokens(this.caption(id)), { eos: true }));
    });
    return { images, count: ids.length, captions, size: s };
  }

  getPosition(): { epoch: number; index: number } {
    return { epoch: this.epoch, index: this.index };
  }

  setPosition(p: unknown): void {
    const q = p as { epoch?: unknown; index?: unknown };
    if (typeof q?.epoch !== 'number' || typeof q?.index !== 'number') {
      throw new Error(
        `ImageBatchSource.setPosition: expected { epoch, index } numbers, got ${JSON.stringify(p)}`,
      );
    }
    this.startEpoch(q.epoch);
    this.index = q.index;
  }
}
