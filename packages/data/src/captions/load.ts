// Node-only: loads a caption dataset directory (captions.tsv, Flickr8k tokens or COCO JSON) and checks its images exist.
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeText } from '../tsv/lines';
import {
  type CaptionedImage,
  parseCaptionsTsv,
  parseCocoCaptions,
  parseFlickr8kTokens,
} from './parse';

export type CaptionFormat = 'tsv' | 'flickr8k' | 'coco';

export interface LoadCaptionsOptions {
  /** Captions file; default: the first of captions.tsv, Flickr8k.token.txt, captions.json found in `dir`. */
  captionsFile?: string;
  /** Default: from the file name (.tsv → tsv, *token.txt → flickr8k, .json → coco). */
  format?: CaptionFormat;
  /** Folder the image files are relative to (default `dir`; Flickr8k usually 'Flicker8k_Dataset'). */
  imagesDir?: string;
  /** Skip the existence check (default false). */
  skipImageCheck?: boolean;
}

const DEFAULT_FILES: [string, CaptionFormat][] = [
  ['captions.tsv', 'tsv'],
  ['Flickr8k.token.txt', 'flickr8k'],
  ['captions.json', 'coco'],
];

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

function formatOf(file: string): CaptionFormat {
  if (file.endsWith('.json')) return 'coco';
  if (file.endsWith('token.txt')) return 'flickr8k';
  return 'tsv';
}

/**
 * Reads `[{ file, captions }]` from a dataset folder; `file` is joined with `imagesDir`.
 *
 * @example
 * const items = await loadCaptionDataset('data-cache/shapes/train'); // [{ file: '…/train-0.png', captions: [...] }]
 */
export async function loadCaptionDataset(
  dir: string,
  options: LoadCaptionsOptions = {},
): Promise<CaptionedImage[]> {
  let path: string | undefined;
  let format = options.format;
  if (options.captionsFile) {
    path = join(dir, options.captionsFile);
    format ??= formatOf(options.captionsFile);
  } else {
    for (const [f, fmt] of DEFAULT_FILES) {
      if (await exists(join(dir, f))) {
        path = join(dir, f);
        format ??= fmt;
        break;
      }
    }
  }
  if (!path || !(await exists(path))) {
    throw new Error(
      `${dir}: no captions file found; expected ${options.captionsFile ?? DEFAULT_FILES.map(([f]) => f).join(' or ')}`,
    );
  }
  // Strict UTF-8 (an invalid byte names its line, never becomes U+FFFD), a leading BOM dropped;
  // line-based formats also refuse over-long lines (COCO JSON may be one long line).
  const text = decodeText(new Uint8Array(await readFile(path)), path, {
    ...(format === 'coco' ? { maxLineBytes: Number.POSITIVE_INFINITY } : {}),
  });
  const parsed =
    format === 'coco'
      ? parseCocoCaptions(text, path)
      : format === 'flickr8k'
        ? parseFlickr8kTokens(text, path)
        : parseCaptionsTsv(text, path);
  const imagesDir = join(dir, options.imagesDir ?? '');
  const items = parsed.map((it) => ({ file: join(imagesDir, it.file), captions: it.captions }));
  if (!options.skipImageCheck) {
    const missing: string[] = [];
    for (const it of items) if (!(await exists(it.file))) missing.push(it.file);
    if (missing.length > 0) {
      throw new Error(
        `${path}: ${missing.length} of ${items.length} image files are missing, e.g. ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
      );
    }
  }
  return items;
}
