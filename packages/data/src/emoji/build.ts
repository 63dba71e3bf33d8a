// Node-only: writes the emoji image sets (Google, Twitter, OpenMoji rasterised) with captions and a licence manifest.
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { loadCaptionDataset } from '../captions/load';
import type { CaptionedImage } from '../captions/parse';
import {
  EMOJI_STYLES,
  type EmojiStyle,
  emojiCatalogue,
  packageDir,
  packageVersion,
} from './catalogue';

/** Licences of the artwork (the npm wrappers themselves are MIT). */
export const EMOJI_LICENCES: Readonly<
  Record<EmojiStyle, { package: string; licence: string; attribution: string }>
> = {
  google: {
    package: 'emoji-datasource-google',
    licence: 'Apache-2.0',
    attribution: 'Noto Emoji by Google, Apache License 2.0',
  },
  twitter: {
    package: 'emoji-datasource-twitter',
    licence: 'CC-BY-4.0',
    attribution: 'Twemoji by Twitter, Inc and other contributors, CC-BY 4.0',
  },
  openmoji: {
    package: 'openmoji',
    licence: 'CC-BY-SA-4.0',
    attribution: 'OpenMoji, the open-source emoji and icon project, CC BY-SA 4.0',
  },
};

export interface BuildEmojiOptions {
  out: string;
  /** Default all three. */
  styles?: EmojiStyle[];
  /** Only the first N catalogue entries (tests, previews). */
  limit?: number;
  /** Rasterised size for OpenMoji SVGs (default 64, matching the PNG sets). */
  size?: number;
  onProgress?: (style: EmojiStyle, done: number, total: number) => void;
}

export interface EmojiManifest {
  createdBy: 'seqlab data emoji';
  counts: Record<string, number>;
  missing: Record<string, number>;
  captionSources: Record<string, number>;
  packages: Record<string, { version: string; licence?: string }>;
  splits: { train: EmojiStyle[]; unseenStyleTest: EmojiStyle[] };
}

function openmojiSvgPath(unified: string): string | undefined {
  const dir = join(packageDir('openmoji'), 'color', 'svg');
  for (const name of [unified, unified.replace(/-FE0F/g, '')]) {
    const p = join(dir, `${name}.svg`);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * Writes OUT/{style}/*.png, OUT/{style}/captions.tsv and OUT/manifest.json.
 *
 * @example
 * const m = await buildEmojiSets({ out: 'data-cache/emoji' }); m.counts // { google: 3786, twitter: 3786, openmoji: … }
 */
export async function buildEmojiSets(o: BuildEmojiOptions): Promise<EmojiManifest> {
  const styles = o.styles ?? [...EMOJI_STYLES];
  for (const s of styles)
    if (!EMOJI_STYLES.includes(s))
      throw new Error(`emoji style must be one of ${EMOJI_STYLES.join(', ')}; got '${s}'`);
  const size = o.size ?? 64;
  const all = emojiCatalogue();
  const entries = o.limit === undefined ? all : all.slice(0, o.limit);
  const manifest: EmojiManifest = {
    createdBy: 'seqlab data emoji',
    counts: {},
    missing: {},
    captionSources: {},
    packages: {},
    splits: { train: ['google', 'twitter'], unseenStyleTest: ['openmoji'] },
  };
  for (const e of entries)
    manifest.captionSources[e.captionSource] = (manifest.captionSources[e.captionSource] ?? 0) + 1;
  for (const p of [
    'emoji-datasource',
    'cldr-annotations-full',
    'cldr-annotations-derived-full',
    '@resvg/resvg-js',
  ]) {
    manifest.packages[p] = { version: packageVersion(p) };
  }
  for (const style of styles) {
    const { package: pkg, licence } = EMOJI_LICENCES[style];
    manifest.packages[pkg] = { version: packageVersion(pkg), licence };
    const dir = join(o.out, style);
    await mkdir(dir, { recursive: true });
    const lines: string[] = [];
    let missing = 0;
    for (const [i, e] of entries.entries()) {
      const dest = join(dir, e.image);
      if (style === 'openmoji') {
        const svg = openmojiSvgPath(e.unified);
        if (!svg) {
          missing++;
          continue;
        }
        const png = new Resvg(readFileSync(svg), { fitTo: { mode: 'width', value: size } })
          .render()
          .asPng();
        await writeFile(dest, png);
      } else {
        const src = join(packageDir(pkg), 'img', style, '64', e.image);
        if (!(style === 'google' ? e.hasGoogle : e.hasTwitter) || !existsSync(src)) {
          missing++;
          continue;
        }
        await copyFile(src, dest);
      }
      lines.push(`${e.image}\t${e.caption}`);
      o.onProgress?.(style, i + 1, entries.length);
    }
    await writeFile(join(dir, 'captions.tsv'), `${lines.join('\n')}\n`);
    manifest.counts[style] = lines.length;
    manifest.missing[style] = missing;
  }
  await writeFile(join(o.out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The emoji training set: Google + Twitter only. OpenMoji is the unseen-style test and is refused here,
 * so it can never leak into training.
 *
 * @example
 * const train = await loadEmojiTrainingSet('data-cache/emoji'); // google + twitter items
 */
export async function loadEmojiTrainingSet(
  dir: string,
  styles: EmojiStyle[] = ['google', 'twitter'],
): Promise<(CaptionedImage & { style: EmojiStyle })[]> {
  if (styles.includes('openmoji')) {
    throw new Error(
      "loadEmojiTrainingSet: 'openmoji' is the unseen-style test set and never enters training; use styles from google, twitter (load it with loadEmojiTestSet)",
    );
  }
  const out: (CaptionedImage & { style: EmojiStyle })[] = [];
  for (const style of styles)
    for (const it of await loadCaptionDataset(join(dir, style))) out.push({ ...it, style });
  return out;
}

/** One style's set for evaluation (OpenMoji allowed). */
export async function loadEmojiTestSet(
  dir: string,
  style: EmojiStyle = 'openmoji',
): Promise<CaptionedImage[]> {
  return loadCaptionDataset(join(dir, style));
}
