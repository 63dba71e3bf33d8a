// Emoji sets: catalogue size and CLDR captions, a small build of all three styles, and the OpenMoji training guard.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildEmojiSets,
  decodeImageFile,
  emojiCatalogue,
  loadEmojiTestSet,
  loadEmojiTrainingSet,
} from '../src/node';

describe('emoji catalogue', () => {
  const list = emojiCatalogue();
  it('has every emoji-datasource image (base + skin tones) with lower-case CLDR names', () => {
    expect(list.length).toBe(3786);
    const byCode = new Map(list.map((e) => [e.unified, e]));
    expect(byCode.get('1F603')?.caption).toBe('grinning face with big eyes');
    expect(byCode.get('1F44D-1F3FD')).toMatchObject({
      caption: 'thumbs up: medium skin tone',
      captionSource: 'cldr-derived',
    });
    for (const e of list) expect(e.caption).toBe(e.caption.toLowerCase());
    // Fallbacks to emoji-datasource names stay rare.
    expect(list.filter((e) => e.captionSource === 'datasource').length).toBeLessThan(100);
  });
});

describe('buildEmojiSets', () => {
  it('writes PNGs, captions.tsv per style and a manifest with licences', async () => {
    const out = await mkdtemp(join(tmpdir(), 'seqlab-emoji-'));
    const m = await buildEmojiSets({ out, limit: 4 });
    expect(m.counts.google).toBe(4);
    expect(m.counts.twitter).toBe(4);
    expect(m.packages['emoji-datasource-twitter']?.licence).toBe('CC-BY-4.0');
    expect(m.packages.openmoji?.licence).toBe('CC-BY-SA-4.0');
    expect(m.packages['emoji-datasource-google']?.licence).toBe('Apache-2.0');
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.splits).toEqual({
      train: ['google', 'twitter'],
      unseenStyleTest: ['openmoji'],
    });
    const train = await loadEmojiTrainingSet(out);
    expect(train.length).toBe(8);
    // Twitter ships palette PNGs; OpenMoji is rasterised from SVG to 64 px.
    const tw = await decodeImageFile(train.find((t) => t.style === 'twitter')!.file);
    expect([tw.width, tw.height]).toEqual([64, 64]);
    const om = await loadEmojiTestSet(out, 'openmoji');
    expect(om.length).toBe(m.counts.openmoji);
    const img = await decodeImageFile(om[0]!.file);
    expect(img.width).toBe(64);
    expect(Array.from(img.data).some((v, i) => i % 4 === 3 && v > 0)).toBe(true);
  });

  it('refuses to put OpenMoji into a training set', async () => {
    await expect(loadEmojiTrainingSet('/nowhere', ['google', 'openmoji'])).rejects.toThrow(
      /'openmoji' is the unseen-style test set and never enters training/,
    );
  });
});
