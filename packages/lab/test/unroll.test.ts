import { beforeAll, describe, expect, it } from 'vitest';
import { UnrolledRNN } from '../src/unroll';
import { noLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

describe('UnrolledRNN', () => {
  it('matches central finite differences for every weight (BPTT through all steps)', () => {
    const m = new UnrolledRNN(4, 3);
    const text = 'abba cab';
    for (const name of ['W', 'U', 'b', 'V', 'c'] as const) {
      const g = m.gradient(text, name);
      for (const idx of [0, 3, 5].filter((i) => i < g.length)) {
        const eps = 1e-2;
        const fd =
          (m.lossWith(text, name, idx, eps) - m.lossWith(text, name, idx, -eps)) / (2 * eps);
        expect(Math.abs(fd - (g[idx] as number))).toBeLessThan(2e-3);
      }
    }
    m.dispose();
  });

  it('reports states, per-step loss and gradients; an update lowers the loss; no leaks', () => {
    const m = new UnrolledRNN(6, 1);
    noLeak(() => {
      const v = m.unroll('hello world');
      expect(v.hidden).toHaveLength(10);
      expect(v.dHidden[0]).toHaveLength(6);
      expect(v.stepLoss.reduce((a, b) => a + b, 0) / 10).toBeCloseTo(v.loss, 5);
      // The last step's gradient comes only from its own loss; earlier ones add later paths.
      expect(v.dHiddenNorm.every((n) => n > 0)).toBe(true);
      const { before, after } = m.update('hello world', 0.5);
      expect(before).toBeCloseTo(v.loss, 5);
      expect(after).toBeLessThan(before);
    });
    expect(() => m.unroll('a')).toThrow(/2\.\.200 characters, got 1/);
    m.dispose();
  });
});
