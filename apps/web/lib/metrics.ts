// How a model card's metrics read on the page: names as people write them, values at a precision
// that does not round a score up.

/**
 * 'test_bleu_greedy', 37.31 → 'test BLEU greedy 37.3'. Scores on a 0–100 scale (BLEU, chrF) get
 * one decimal; fractions (exact-match rates, accuracies) get three, so 0.0782 reads 0.078 and
 * 0.995 reads 0.995, never 0.1 or 1.0.
 *
 * @example formatMetric('openmoji_exact', 0.0782); // 'openmoji exact 0.078'
 */
export function formatMetric(key: string, value: number): string {
  const name = key
    .split(/[_\s]+/)
    .map((w) =>
      /^(bleu|chrf|ter|wer|cer)$/i.test(w) ? w.toUpperCase().replace('CHRF', 'chrF') : w,
    )
    .join(' ');
  const shown =
    !Number.isFinite(value) || Number.isInteger(value)
      ? String(value)
      : value.toFixed(Math.abs(value) < 1 ? 3 : 1);
  return `${name} ${shown}`;
}

/**
 * A hypothesis score (a sum of log-probabilities, ≤ 0) with three decimals; a score that rounds
 * to zero reads 0.000, not -0.000.
 *
 * @example formatScore(-0.00004); // '0.000'
 */
export function formatScore(score: number): string {
  const s = score.toFixed(3);
  return /^-0\.0+$/.test(s) ? s.slice(1) : s;
}
