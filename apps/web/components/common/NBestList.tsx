// The n-best hypotheses of a beam search with their length-normalised log-probabilities.
import { formatScore } from '@/lib/metrics';
import type { Hypothesis } from '@/lib/model-types';
import { PlaceholderText } from './PlaceholderText';

export function NBestList({ items, lang }: { items: readonly Hypothesis[]; lang?: string }) {
  if (items.length <= 1) return null;
  return (
    <section aria-labelledby="nbest-h" className="nbest">
      <h3 id="nbest-h">Top {items.length} hypotheses</h3>
      <ol data-testid="nbest">
        {items.map((h, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rank is the identity here.
          <li key={i}>
            <span lang={lang}>
              <PlaceholderText text={h.text} />
            </span>{' '}
            <span className="muted small" title="length-normalised log-probability">
              score {formatScore(h.score)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
