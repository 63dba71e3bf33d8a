import { describe, expect, it } from 'vitest';
import { formatMetric, formatScore } from '../lib/metrics';

describe('formatMetric', () => {
  it('writes metric names as people do', () => {
    expect(formatMetric('test_bleu_greedy', 37.31)).toBe('test BLEU greedy 37.3');
    expect(formatMetric('chrf', 57.96)).toBe('chrF 58.0');
    expect(formatMetric('steps', 4539)).toBe('steps 4539');
  });

  it('never rounds a fraction up to a better-looking score', () => {
    expect(formatMetric('openmoji_exact', 0.0782)).toBe('openmoji exact 0.078');
    expect(formatMetric('test_exact', 0.995)).toBe('test exact 0.995');
    expect(formatMetric('novel_exact', 0.967)).toBe('novel exact 0.967');
    expect(formatMetric('exact', 1)).toBe('exact 1');
    expect(formatMetric('exact', 0)).toBe('exact 0');
  });

  it('shows values that are not numbers as they are', () => {
    expect(formatMetric('bleu', Number.NaN)).toBe('BLEU NaN');
  });
});

describe('formatScore', () => {
  it('three decimals, and no minus sign on a score that rounds to zero', () => {
    expect(formatScore(-0.34123)).toBe('-0.341');
    expect(formatScore(-0.00004)).toBe('0.000');
    expect(formatScore(0)).toBe('0.000');
    expect(formatScore(-12)).toBe('-12.000');
  });
});
