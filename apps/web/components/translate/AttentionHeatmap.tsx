'use client';
// Attention heatmap: target tokens (rows) × source tokens (columns), viridis, hover or focus a row.
import { useState } from 'react';
import { normaliseRows, textOn, viridis, viridisCss } from '@/lib/colormap';
import { displayToken } from '@/lib/tokens';

export interface AttentionHeatmapProps {
  sourceTokens: readonly string[];
  targetTokens: readonly string[];
  /** attention[i][j]: weight target token i put on source token j. */
  attention: readonly (readonly number[])[];
  targetLang?: string;
}

/**
 * Each row is scaled to its own maximum so short and long sources read alike; the raw weight
 * is in every cell's title. Focus or hover a target token to light up the source tokens it used.
 */
export function AttentionHeatmap({
  sourceTokens,
  targetTokens,
  attention,
  targetLang,
}: AttentionHeatmapProps) {
  const [active, setActive] = useState<number | null>(null);
  const rows = normaliseRows(attention);
  const activeRow = active === null ? null : rows[active];
  return (
    <section className="heatmap-section" aria-labelledby="heatmap-h" data-testid="heatmap">
      <h3 id="heatmap-h">Where each word looked</h3>
      <p className="muted small">
        Hover or tab to a translated word: the English tokens it attended to light up. Brighter is
        more attention (viridis scale, each row scaled to its maximum).
      </p>
      <p className="source-strip" aria-live="polite" data-testid="source-strip">
        {sourceTokens.map((tok, j) => {
          const w = activeRow?.[j] ?? 0;
          const bg = viridis(w);
          return (
            <span
              // biome-ignore lint/suspicious/noArrayIndexKey: tokens repeat; position is the identity.
              key={j}
              className="src-token"
              style={activeRow ? { background: viridisCss(w), color: textOn(bg) } : undefined}
              title={
                activeRow ? `attention ${(attention[active ?? 0]?.[j] ?? 0).toFixed(3)}` : undefined
              }
            >
              {displayToken(tok)}
            </span>
          );
        })}
      </p>
      <div className="heatmap-scroll">
        <table className="heatmap">
          <caption className="visually-hidden">
            Attention weights: rows are translated tokens, columns are English tokens.
          </caption>
          <thead>
            <tr>
              <td />
              {sourceTokens.map((tok, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional.
                <th key={j} scope="col" className="col-head">
                  <span>{displayToken(tok)}</span>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {targetTokens.map((tok, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: positional.
              <tr key={i} className={active === i ? 'active' : undefined}>
                <th scope="row">
                  <button
                    type="button"
                    className="tgt-token"
                    lang={targetLang}
                    aria-pressed={active === i}
                    onMouseEnter={() => setActive(i)}
                    onFocus={() => setActive(i)}
                    onClick={() => setActive(active === i ? null : i)}
                  >
                    {displayToken(tok)}
                  </button>
                </th>
                {sourceTokens.map((src, j) => {
                  const w = rows[i]?.[j] ?? 0;
                  const raw = attention[i]?.[j] ?? 0;
                  return (
                    <td
                      // biome-ignore lint/suspicious/noArrayIndexKey: positional.
                      key={j}
                      className="cell"
                      style={{ background: viridisCss(w) }}
                      title={`${tok} → ${src}: ${raw.toFixed(3)}`}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="legend" aria-hidden="true">
        <span>low</span>
        <span className="legend-bar" />
        <span>high</span>
      </div>
    </section>
  );
}
