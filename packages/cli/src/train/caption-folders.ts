// Loads caption folders (images + captions.tsv) into memory as 64×64 RGBA items for training and evaluation.
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { decodeImageFile } from '@seqlab/data/node';
import type { CaptionItem } from './caption-data';

/** Read `dir/captions.tsv` (file<TAB>caption, several lines per file allowed) and decode every image. */
export async function loadCaptionFolders(dirs: readonly string[], size = 64): Promise<{ items: CaptionItem[] }> {
  const items: CaptionItem[] = [];
  for (const dir of dirs) {
    const tsv = path.join(dir, 'captions.tsv');
    let text: string;
    try {
      text = await readFile(tsv, 'utf8');
    } catch (e) {
      throw new Error(`${tsv}: cannot read captions (${(e as Error).message}); build the dataset first`);
    }
    const byFile = new Map<string, string[]>();
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const tab = line.indexOf('\t');
      if (tab < 0) throw new Error(`${tsv}:${i + 1}: expected 'file<TAB>caption', got no tab`);
      const f = line.slice(0, tab);
      const c = line.slice(tab + 1).trim();
      if (!byFile.has(f)) byFile.set(f, []);
      byFile.get(f)?.push(c);
    });
    if (byFile.size === 0) throw new Error(`${tsv}: no captions`);
    for (const [f, captions] of byFile) {
      const img = await decodeImageFile(path.join(dir, f));
      if (img.width !== size || img.height !== size) {
        throw new Error(`${path.join(dir, f)}: expected ${size}×${size}, got ${img.width}×${img.height}`);
      }
      items.push({ rgba: img.data, captions });
    }
  }
  return { items };
}
