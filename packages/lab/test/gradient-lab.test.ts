import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRADIENT_LAB, GradientLabModel } from '../src/gradient-lab';
import { addingBatch } from '../src/tasks';
import { noLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

describe('addingBatch', () => {
  it('marks one step in each half and sums their values', () => {
    const b = addingBatch(4, 10, 3);
    for (let r = 0; r < 4; r++) {
      let sum = 0;
      const marked: number[] = [];
      for (let t = 0; t < 10; t++) {
        if (b.x[(r * 10 + t) * 2 + 1] === 1) {
          marked.push(t);
          sum += b.x[(r * 10 + t) * 2] as number;
        }
      }
      expect(marked).toHaveLength(2);
      expect(marked[0]).toBeLessThan(5);
      expect(marked[1]).toBeGreaterThanOrEqual(5);
      expect(b.y[r]).toBeCloseTo(sum, 5);
    }
  });
});

describe('GradientLabModel', () => {
  it('LSTM loss falls on the adding problem without leaking tensors', () => {
    const m = new GradientLabModel({
      ...DEFAULT_GRADIENT_LAB,
      cell: 'lstm',
      units: 8,
      learningRate: 0.02,
    });
    const test = addingBatch(64, 8, 999);
    const before = m.evaluate(test);
    m.trainStep(addingBatch(32, 8, 0)); // creates Adam's moment variables (kept, not leaked)
    noLeak(() => {
      for (let i = 1; i < 60; i++) m.trainStep(addingBatch(32, 8, i));
    });
    expect(m.evaluate(test)).toBeLessThan(before * 0.7);
    m.dispose();
  });

  it('clipping caps the applied norm; truncation zeroes the gradient before the window', () => {
    const base = {
      ...DEFAULT_GRADIENT_LAB,
      units: 8,
      activation: 'relu' as const,
      init: 'identity' as const,
      gain: 1.6,
    };
    const b = addingBatch(16, 20, 5);
    const free = new GradientLabModel(base);
    const clipped = new GradientLabModel({ ...base, clip: 1 });
    const s1 = free.trainStep(b);
    const s2 = clipped.trainStep(b);
    expect(s1.gradNorm).toBeGreaterThan(1);
    expect(s2.gradNorm).toBeCloseTo(s1.gradNorm, 3); // same weights, same gradient
    expect(s1.appliedNorm).toBeCloseTo(s1.gradNorm, 3);
    expect(s2.appliedNorm).toBeCloseTo(1, 4);
    // An exploding recurrence: earlier steps receive more gradient than later ones.
    expect(s1.stepNorms[0]).toBeGreaterThan(s1.stepNorms[19] as number);
    const cut = new GradientLabModel({ ...base, truncate: 5 });
    const s3 = cut.trainStep(b);
    expect(s3.stepNorms.slice(0, 15).every((n) => n === 0)).toBe(true);
    expect(s3.stepNorms.slice(15).every((n) => n > 0)).toBe(true);
    for (const m of [free, clipped, cut]) m.dispose();
  });

  it('vanishing: a tanh SimpleRNN with a small recurrent gain passes far less gradient to step 0', () => {
    const m = new GradientLabModel({ ...DEFAULT_GRADIENT_LAB, units: 8, gain: 0.5 });
    const s = m.trainStep(addingBatch(16, 30, 2));
    expect(s.stepNorms[0] as number).toBeLessThan((s.stepNorms[29] as number) * 1e-3);
    m.dispose();
  });

  it('rejects unknown settings with the valid ones', () => {
    expect(() => new GradientLabModel({ ...DEFAULT_GRADIENT_LAB, cell: 'xyz' as 'gru' })).toThrow(
      /valid: simpleRNN, gru, lstm/,
    );
    expect(() => new GradientLabModel({ ...DEFAULT_GRADIENT_LAB, clip: 0 })).toThrow(
      /clip must be > 0/,
    );
  });
});
