// Node-only: the emoji catalogue (every emoji-datasource image incl. skin tones) with CLDR short names as captions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type EmojiStyle = 'google' | 'twitter' | 'openmoji';
export const EMOJI_STYLES: readonly EmojiStyle[] = ['google', 'twitter', 'openmoji'];

export interface EmojiEntry {
  /** Code points, upper-case hex joined by '-', e.g. '1F44D-1F3FD'. */
  unified: string;
  /** Output image name, e.g. '1f44d-1f3fd.png'. */
  image: string;
  caption: string;
  /** Where the caption came from: CLDR annotations, CLDR derived (sequences, skin tones) or emoji-datasource's name. */
  captionSource: 'cldr' | 'cldr-derived' | 'datasource';
  hasGoogle: boolean;
  hasTwitter: boolean;
}

interface DatasourceImage {
  unified: string;
  image: string;
  has_img_google: boolean;
  has_img_twitter: boolean;
}
interface DatasourceEmoji extends DatasourceImage {
  name: string | null;
  short_name: string;
  skin_variations?: Record<string, DatasourceImage>;
}

const require = createRequire(import.meta.url);

/** Installed folder of an npm package (via its package.json, which every package has). */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

export function packageVersion(name: string): string {
  return (
    JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string }
  ).version;
}

function codepointsToString(unified: string): string {
  return String.fromCodePoint(...unified.split('-').map((h) => Number.parseInt(h, 16)));
}

function loadCldr(pkg: string, file: string, root: string): Map<string, string> {
  const json = JSON.parse(readFileSync(join(packageDir(pkg), file), 'utf8')) as Record<
    string,
    { annotations: Record<string, { tts?: string[] }> }
  >;
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(json[root]?.annotations ?? {}))
    if (v.tts?.[0]) out.set(k, v.tts[0]);
  return out;
}

/**
 * All 3,786 emoji-datasource images (1,911 base + skin-tone variants) with lower-case CLDR captions
 * (e.g. 'thumbs up: medium skin tone'). Keys are tried fully qualified, then without U+FE0F.
 *
 * @example
 * const list = emojiCatalogue(); list.filter((e) => e.captionSource === 'datasource').length; // fallbacks
 */
export function emojiCatalogue(): EmojiEntry[] {
  const data = JSON.parse(
    readFileSync(join(packageDir('emoji-datasource'), 'emoji.json'), 'utf8'),
  ) as DatasourceEmoji[];
  const cldr = loadCldr('cldr-annotations-full', 'annotations/en/annotations.json', 'annotations');
  const derived = loadCldr(
    'cldr-annotations-derived-full',
    'annotationsDerived/en/annotations.json',
    'annotationsDerived',
  );
  const toneNames = ['1F3FB', '1F3FC', '1F3FD', '1F3FE', '1F3FF'].map(
    (t) => [t, cldr.get(codepointsToString(t)) ?? t] as const,
  );
  const captionFor = (
    unified: string,
    baseName: string,
  ): Pick<EmojiEntry, 'caption' | 'captionSource'> => {
    const full = codepointsToString(unified);
    const bare = full.replaceAll('\uFE0F', '');
    for (const key of [full, bare]) {
      const c = cldr.get(key);
      if (c) return { caption: c.toLowerCase(), captionSource: 'cldr' };
      const d = derived.get(key);
      if (d) return { caption: d.toLowerCase(), captionSource: 'cldr-derived' };
    }
    // Fallback: datasource name plus CLDR tone names for any skin-tone modifiers.
    const tones = toneNames.filter(([t]) => unified.split('-').includes(t)).map(([, n]) => n);
    return {
      caption: [baseName.toLowerCase(), tones.join(', ')].filter(Boolean).join(': '),
      captionSource: 'datasource',
    };
  };
  const out: EmojiEntry[] = [];
  for (const e of data) {
    const baseName = e.name ?? e.short_name.replaceAll('_', ' ');
    for (const img of [e, ...Object.values(e.skin_variations ?? {})]) {
      out.push({
        unified: img.unified,
        image: img.image,
        ...captionFor(img.unified, baseName),
        hasGoogle: img.has_img_google,
        hasTwitter: img.has_img_twitter,
      });
    }
  }
  return out;
}
