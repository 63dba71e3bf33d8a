'use client';
// The picture with the attention of one caption word laid over it, word by word.
import { useEffect, useRef, useState } from 'react';
import { normaliseRows, viridis } from '@/lib/colormap';
import type { Caption } from '@/lib/model-types';
import type { Pixels } from '@/lib/protocol';

/** Draws the preview and, when `weights` is given, a viridis grid with alpha by weight. */
function paint(
  canvas: HTMLCanvasElement,
  pixels: Pixels,
  grid: [number, number] | null,
  weights: readonly number[] | null,
) {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const side = canvas.width;
  const src = document.createElement('canvas');
  src.width = pixels.width;
  src.height = pixels.height;
  src
    .getContext('2d')
    ?.putImageData(new ImageData(pixels.data.slice(), pixels.width, pixels.height), 0, 0);
  ctx.imageSmoothingEnabled = pixels.width >= side / 2;
  ctx.clearRect(0, 0, side, side);
  ctx.drawImage(src, 0, 0, side, side);
  if (!grid || !weights) return;
  const [rows, cols] = grid;
  // Shade where the word did not look and outline where it looked most: the picture under
  // high attention stays unaltered, so you see what the decoder saw.
  const edge = (i: number, n: number) => Math.round((i * side) / n);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const w = weights[r * cols + c] ?? 0;
      const x = edge(c, cols);
      const y = edge(r, rows);
      const cw = edge(c + 1, cols) - x;
      const ch = edge(r + 1, rows) - y;
      ctx.fillStyle = `rgb(20 20 40 / ${0.7 * (1 - w)})`;
      ctx.fillRect(x, y, cw, ch);
      if (w >= 0.5) {
        const [cr, cg, cb] = viridis(w);
        ctx.strokeStyle = `rgb(${cr} ${cg} ${cb})`;
        ctx.lineWidth = 3;
        ctx.strokeRect(x + 1.5, y + 1.5, cw - 3, ch - 3);
      }
    }
  }
}

export function AttentionOverlay({
  pixels,
  caption,
  alt,
}: {
  pixels: Pixels;
  caption: Caption | null;
  alt: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [active, setActive] = useState<number | null>(null);
  const [playing, setPlaying] = useState(false);
  const rows = caption ? normaliseRows(caption.attention) : [];
  const tokens = caption?.tokens ?? [];

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new caption resets the selected word.
  useEffect(() => setActive(null), [caption]);
  useEffect(() => {
    if (!canvas.current) return;
    paint(
      canvas.current,
      pixels,
      caption?.gridSize ?? null,
      active === null ? null : (rows[active] ?? null),
    );
  });
  useEffect(() => {
    if (!playing || tokens.length === 0) return;
    const t = setInterval(
      () => setActive((a) => (a === null || a + 1 >= tokens.length ? 0 : a + 1)),
      800,
    );
    return () => clearInterval(t);
  }, [playing, tokens.length]);

  return (
    <figure className="overlay">
      <canvas
        ref={canvas}
        width={256}
        height={256}
        role="img"
        aria-label={alt}
        data-testid="preview"
        className="preview"
      />
      {caption && tokens.length > 0 ? (
        <figcaption>
          {/* biome-ignore lint/a11y/useSemanticElements: a row of buttons, not a form section. */}
          <div
            className="row"
            role="group"
            aria-label="Caption words: hover or focus one to see where it looked"
          >
            {tokens.map((t, i) => (
              <button
                // biome-ignore lint/suspicious/noArrayIndexKey: positional.
                key={i}
                type="button"
                className="word"
                aria-pressed={active === i}
                onMouseEnter={() => setActive(i)}
                onFocus={() => setActive(i)}
                onClick={() => setActive(active === i ? null : i)}
              >
                {t}
              </button>
            ))}
            <button
              type="button"
              onClick={() => setPlaying(!playing)}
              aria-pressed={playing}
              data-testid="play"
            >
              {playing ? 'Stop' : 'Play word by word'}
            </button>
          </div>
          <p className="muted small">
            Clear squares (outlined in viridis yellow-green) are where the decoder looked for the
            chosen word; shaded ones it ignored ({caption.gridSize[0]}×{caption.gridSize[1]} feature
            grid, viridis).
          </p>
        </figcaption>
      ) : null}
    </figure>
  );
}
