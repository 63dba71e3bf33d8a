// The model card one click away: what data it learned from, its scores and its size.
import type { ModelCard as Card } from '@/lib/model-types';

/** 'test_bleu_greedy' → 'test BLEU greedy': metric names as people write them. */
function formatMetric(k: string, v: number): string {
  const name = k
    .split(/[_\s]+/)
    .map((w) =>
      /^(bleu|chrf|ter|wer|cer)$/i.test(w) ? w.toUpperCase().replace('CHRF', 'chrF') : w,
    )
    .join(' ');
  return `${name} ${Number.isInteger(v) ? v : v.toFixed(1)}`;
}

/** A <details> with the card's headline facts; card.md is shown as plain text, never as HTML. */
export function ModelCard({ card }: { card: Card }) {
  return (
    <details className="model-card" data-testid="model-card">
      <summary>
        About this model: {card.title} ·{' '}
        {Object.entries(card.metrics)
          .map(([k, v]) => formatMetric(k, v))
          .join(' · ') || 'no metrics recorded'}{' '}
        · {(card.sizeBytes / 1e6).toFixed(1)} MB
      </summary>
      <dl>
        <dt>Name</dt>
        <dd>{card.name}</dd>
        <dt>Training data</dt>
        <dd>{card.data}</dd>
        <dt>Metrics</dt>
        <dd>
          {Object.entries(card.metrics).map(([k, v]) => (
            <span key={k} className="metric">
              {formatMetric(k, v)}
            </span>
          ))}
        </dd>
        <dt>Weights</dt>
        <dd>{card.sizeBytes.toLocaleString('en')} bytes</dd>
      </dl>
      <pre className="card-md">{card.markdown}</pre>
    </details>
  );
}
