// The model card one click away: what data it learned from, its scores and its size.
import { formatMetric } from '@/lib/metrics';
import type { ModelCard as Card } from '@/lib/model-types';

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
