// Loads caption folders (images + captions.tsv) into memory as 64×64 RGBA items for training and evaluation.
import * as path from 'node:path';
import { decodeImageFile } from '../images/decode';
import { streamTextFile } from '../tsv/read';
import type { CaptionItem } from './pixels';

/** Read `dir/captions.tsv` (file<TAB>caption, several lines per file allowed) and decode every image. */
export async function loadCaptionFolders(
  dirs: readonly string[],
  size = 64,
): Promise<{ items: CaptionItem[] }> {
  const items: CaptionItem[] = [];
  for (const dir of dirs) {
    const tsv = path.join(dir, 'captions.tsv');
    // file → its captions and the line that first names it (errors point at that line).
    const byFile = new Map<string, { line: number; captions: string[] }>();
    // Strict UTF-8 per line, a leading BOM dropped, over-long lines refused (see streamTextFile).
    for await (const { n, text: raw } of streamTextFile(tsv, {
      what: 'captions',
      hint: 'build the dataset first',
    })) {
      const at = `${tsv}:${n}`;
      if (raw.trim() === '') continue;
      const tab = raw.indexOf('\t');
      if (tab < 0) throw new Error(`${at}: expected 'file<TAB>caption', got no tab`);
      const f = raw.slice(0, tab);
      const c = raw.slice(tab + 1).trim();
      const rel = path.relative(dir, path.join(dir, f));
      if (f.trim() === '' || path.isAbsolute(f) || rel === '' || rel.startsWith('..')) {
        throw new Error(`${at}: image path ${JSON.stringify(f)} must be a file inside ${dir}`);
      }
      if (c === '') throw new Error(`${at}: empty caption for ${f}`);
      const entry = byFile.get(f) ?? { line: n, captions: [] };
      entry.captions.push(c);
      byFile.set(f, entry);
    }
    if (byFile.size === 0) throw new Error(`${tsv}: no captions`);
    for (const [f, { line, captions }] of byFile) {
      // Decoding errors name the image; prefix the captions line that referenced it.
      const img = await decodeImageFile(path.join(dir, f)).catch((e: Error) => {
        throw new Error(`${tsv}:${line}: ${e.message}`);
      });
      if (img.width !== size || img.height !== size) {
        throw new Error(
          `${tsv}:${line}: ${path.join(dir, f)} is ${img.width}×${img.height}, expected ${size}×${size}`,
        );
      }
      items.push({ rgba: img.data, captions });
    }
  }
  return { items };
}
