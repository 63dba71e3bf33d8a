// Caption training data: word tokenisation of captions, Shapes batches generated on the fly, image-folder batches.
import { generateScene, type ShapesSplit } from '@seqlab/data';
import type { CaptionBatch } from '@seqlab/models';
import type { BatchSource } from '@seqlab/seq2seq';
import { captionTokens, type Vocab } from '@seqlab/text';

/** RGBA pixels composited over white into RGB floats in [0, 1], written at `out[offset…]`. */
export function rgbaToRgb01(
  data: Uint8Array | Uint8ClampedArray,
  out: Float32Array,
  offset: number,
  shift: [number, number] = [0, 0],
  size = 64,
): void {
  const [dx, dy] = shift;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const o = offset + (y * size + x) * 3;
      if (sx < 0 || sy < 0 || sx >= size || sy >= size) {
        out[o] = 1;
        out[o + 1] = 1;
        out[o + 2] = 1;
        continue;
      }
      const i = (sy * size + sx) * 4;
      const a = (data[i + 3] as number) / 255;
      for (let c = 0; c < 3; c++) out[o + c] = ((data[i + c] as number) / 255) * a + (1 - a);
    }
  }
}

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
    const images = new Float32Array(batchSize * 64 * 64 * 3);
    const captions: number[][] = [];
    for (let k = 0; k < batchSize; k++) {
      const scene = generateScene({
        seed,
        split: this.opts.split ?? 'train',
        index: (base + k) >>> 0,
      });
      rgbaToRgb01(scene.data, images, k * 64 * 64 * 3);
      // Two-object scenes have two references (both orders): pick one per scene, deterministically.
      const ref = scene.captions[mix(base + k, seed) % scene.captions.length] as string;
      captions.push(this.vocab.encode(captionTokens(ref), { eos: true }));
    }
    return { images, count: batchSize, captions, size: 64 };
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

/** One labelled image held in memory (RGBA 64×64). */
export interface CaptionItem {
  rgba: Uint8Array | Uint8ClampedArray;
  captions: string[];
}

/**
 * Shuffled batches over in-memory images, with a seeded random shift augmentation
 * (helps a captioner generalise across drawing styles). Position = {epoch, index}.
 */
export class ImageBatchSource implements BatchSource<CaptionBatch> {
  private order: number[] = [];
  private epoch = 0;
  private index = 0;

  constructor(
    private readonly items: readonly CaptionItem[],
    private readonly vocab: Vocab,
    private readonly opts: { seed: number; batchSize: number; maxShift: number },
  ) {
    if (items.length === 0)
      throw new Error('ImageBatchSource: expected at least one image, got none');
    this.startEpoch(0);
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
    this.order = order;
  }

  next(): CaptionBatch | null {
    const { batchSize, maxShift, seed } = this.opts;
    const start = this.index * batchSize;
    if (start >= this.order.length) return null;
    const ids = this.order.slice(start, start + batchSize);
    this.index += 1;
    const images = new Float32Array(ids.length * 64 * 64 * 3);
    const captions: number[][] = [];
    ids.forEach((id, k) => {
      const item = this.items[id] as CaptionItem;
      const h = mix(mix(seed, this.epoch), id);
      const span = 2 * maxShift + 1;
      const shift: [number, number] =
        maxShift > 0 ? [(h % span) - maxShift, ((h >>> 8) % span) - maxShift] : [0, 0];
      rgbaToRgb01(item.rgba, images, k * 64 * 64 * 3, shift);
      captions.push(
        this.vocab.encode(
          captionTokens(item.captions[(h >>> 16) % item.captions.length] as string),
          { eos: true },
        ),
      );
    });
    return { images, count: ids.length, captions, size: 64 };
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
