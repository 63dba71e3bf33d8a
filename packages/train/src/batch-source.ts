// In-memory BatchSource: fixed list of batches, reshuffled per epoch from a seed, position = { epoch, index }.
import { Rng } from '@seqlab/text';
import type { BatchSource } from './trainer-types';

/**
 * @example
 * const data = new ArrayBatchSource(batches, { shuffle: true, seed: 1 });
 * new Trainer({ model, data, epochs: 5 });
 */
export class ArrayBatchSource<B> implements BatchSource<B> {
  private readonly items: readonly B[];
  private readonly shuffle: boolean;
  private readonly seed: number;
  private order: number[] = [];
  private epoch = 0;
  private index = 0;

  constructor(items: readonly B[], opts: { shuffle?: boolean; seed?: number } = {}) {
    if (items.length === 0)
      throw new Error('ArrayBatchSource: expected at least one batch, got none');
    this.items = items;
    this.shuffle = opts.shuffle ?? true;
    this.seed = opts.seed ?? 0;
    this.startEpoch(0);
  }

  startEpoch(epoch: number): void {
    this.epoch = epoch;
    this.index = 0;
    const order = this.items.map((_, i) => i);
    // The order depends only on (seed, epoch), so a position needs no RNG state.
    this.order = this.shuffle ? new Rng(this.seed * 1_000_003 + epoch).shuffle(order) : order;
  }

  next(): B | null {
    const i = this.order[this.index];
    if (i === undefined) return null;
    this.index += 1;
    return this.items[i] as B;
  }

  getPosition(): { epoch: number; index: number } {
    return { epoch: this.epoch, index: this.index };
  }

  setPosition(position: unknown): void {
    const p = position as { epoch?: unknown; index?: unknown };
    if (typeof p?.epoch !== 'number' || typeof p?.index !== 'number') {
      throw new Error(
        `ArrayBatchSource.setPosition: expected { epoch: number, index: number }, got ${JSON.stringify(position)}`,
      );
    }
    this.startEpoch(p.epoch);
    this.index = p.index;
  }
}
