// Node-only: writes a Shapes split to DIR as PNGs plus captions.tsv (one line per reference).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePng } from '../images/decode';
import { generateScene } from './generate';
import type { ShapesSplit } from './spec';

export interface WriteShapesOptions {
  out: string;
  count: number;
  seed: number;
  split: ShapesSplit;
  /** Called after each image with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Renders `count` scenes and writes `{split}-{index}.png` + `captions.tsv` (`file<TAB>caption`).
 *
 * @example
 * await writeShapesDataset({ out: 'data-cache/shapes/train', count: 1000, seed: 1, split: 'train' });
 */
export async function writeShapesDataset(
  o: WriteShapesOptions,
): Promise<{ images: number; captions: number }> {
  if (!Number.isInteger(o.count) || o.count < 1)
    throw new Error(`count must be a positive integer; got ${o.count}`);
  await mkdir(o.out, { recursive: true });
  const width = String(o.count - 1).length;
  const lines: string[] = [];
  for (let index = 0; index < o.count; index++) {
    const scene = generateScene({ seed: o.seed, split: o.split, index });
    const file = `${o.split}-${String(index).padStart(width, '0')}.png`;
    await writeFile(join(o.out, file), encodePng(scene));
    for (const c of scene.captions) lines.push(`${file}\t${c}`);
    o.onProgress?.(index + 1, o.count);
  }
  await writeFile(join(o.out, 'captions.tsv'), `${lines.join('\n')}\n`);
  return { images: o.count, captions: lines.length };
}
