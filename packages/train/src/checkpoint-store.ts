// Node checkpoint store: one file in the run directory, replaced atomically.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { atomicWrite, describeFsError as describe } from '@seqlab/seq2seq/node';
import type { CheckpointStore } from './checkpoint';

/**
 * Checkpoints in one file (default `checkpoint.sqck`) inside `dir`, replaced atomically.
 *
 * @example
 * const store = new FileCheckpointStore('data-cache/runs/en-es');
 * new Trainer({ model, data, checkpoint: { store, every: 500 } });
 */
export class FileCheckpointStore implements CheckpointStore {
  readonly location: string;

  constructor(
    readonly dir: string,
    readonly fileName = 'checkpoint.sqck',
  ) {
    this.location = path.join(dir, fileName);
  }

  async save(bytes: Uint8Array): Promise<void> {
    try {
      await fs.mkdir(this.dir, { recursive: true });
    } catch (e) {
      throw new Error(`checkpoint: cannot create directory ${this.dir} (${describe(e)})`);
    }
    await atomicWrite(this.location, bytes).catch((e: Error) => {
      throw new Error(`checkpoint: ${e.message}`);
    });
  }

  async load(): Promise<Uint8Array | null> {
    try {
      return new Uint8Array(await fs.readFile(this.location));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new Error(`checkpoint: cannot read ${this.location} (${describe(e)})`);
    }
  }
}
