'use client';
// Emoji gallery in three drawing styles, with each set's licence; click one to caption it.
import { useEffect, useState } from 'react';
import { squarePixels } from '@/lib/image-decode';
import type { InputProps } from './types';

interface EmojiIndex {
  styles: { id: string; name: string; licence: string; source: string }[];
  items: { id: string; char: string; caption: string; category: string; file: string }[];
}

const LICENCE_URL: Record<string, string> = {
  'Apache-2.0': 'https://www.apache.org/licenses/LICENSE-2.0',
  'CC-BY-4.0': 'https://creativecommons.org/licenses/by/4.0/',
  'CC-BY-SA-4.0': 'https://creativecommons.org/licenses/by-sa/4.0/',
};

export function EmojiGallery({ onImage, onError }: InputProps) {
  const [index, setIndex] = useState<EmojiIndex | null>(null);
  const [style, setStyle] = useState('google');
  const [picked, setPicked] = useState<string | null>(null);
  useEffect(() => {
    fetch('/emoji/index.json')
      .then((r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        return r.json() as Promise<EmojiIndex>;
      })
      .then(setIndex, (e: Error) =>
        onError(`The emoji gallery is missing from this build (${e.message}).`),
      );
  }, [onError]);

  const pick = (item: EmojiIndex['items'][number], el: HTMLImageElement) => {
    if (!el.complete || !el.naturalWidth) return onError('That emoji image has not loaded yet.');
    setPicked(item.id);
    onImage({
      kind: 'emoji',
      pixels: squarePixels(
        el,
        { width: el.naturalWidth, height: el.naturalHeight },
        el.naturalWidth,
      ),
      label: `${item.caption} (${style} style)`,
      truth: [item.caption],
    });
  };
  const current = index?.styles.find((s) => s.id === style);
  return (
    <div className="input-panel">
      <fieldset className="field">
        <legend>Style</legend>
        {(index?.styles ?? []).map((s) => (
          <label key={s.id}>
            <input
              type="radio"
              name="emoji-style"
              checked={style === s.id}
              onChange={() => setStyle(s.id)}
            />{' '}
            {s.name}
          </label>
        ))}
      </fieldset>
      {/* biome-ignore lint/a11y/useSemanticElements: a grid of buttons, not a form section. */}
      <div className="emoji-grid" role="group" aria-label="Emoji">
        {(index?.items ?? []).map((item) => (
          <button
            key={item.id}
            type="button"
            className={`emoji${picked === item.id ? ' selected' : ''}`}
            title={item.caption}
            onClick={(e) => pick(item, e.currentTarget.querySelector('img') as HTMLImageElement)}
          >
            {/* biome-ignore lint/performance/noImgElement: 64 px static PNGs; next/image would only add an optimiser round trip. */}
            <img src={`/emoji/${style}/${item.file}`} alt={item.caption} width={40} height={40} />
          </button>
        ))}
      </div>
      {current ? (
        <p className="muted small" data-testid="emoji-licence">
          {current.name} images from the npm package {current.source}, licensed{' '}
          <a href={LICENCE_URL[current.licence]} rel="noreferrer">
            {current.licence}
          </a>
          . Names are Unicode CLDR short names. Google emoji: Apache-2.0; Twitter Twemoji:
          CC-BY-4.0; OpenMoji: CC-BY-SA-4.0.
        </p>
      ) : null}
    </div>
  );
}
