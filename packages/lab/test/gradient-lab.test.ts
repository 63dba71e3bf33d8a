import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_GRADIENT_LAB, GradientLabModel } from '../src/gradient-lab';
import { addingBatch, copyBatch } from '../src/tasks';
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

describe('copyBatch', () => {
  it('shows the symbols, then blanks and the go marker, and asks for the symbols back', () => {
    const b = copyBatch(2, 3, 4, 5, 1); // time 10, features 7
    expect([b.time, b.features, b.outputSteps]).toEqual([10, 7, 3]);
    const at = (r: number, t: number) => {
      const row = b.x.subarray((r * 10 + t) * 7, (r * 10 + t + 1) * 7);
      return row.indexOf(1);
    };
    for (let r = 0; r < 2; r++) {
      expect([0, 1, 2].map((t) => at(r, t))).toEqual(Array.from(b.y.subarray(r * 3, r * 3 + 3)));
      expect(at(r, 6)).toBe(6); // go on the last delay step
      for (const t of [3, 4, 5, 7, 8, 9]) expect(at(r, t)).toBe(5); // blank
    }
  });
});

describe('GradientLabModel', () => {
  it('LSTM learns the copy task (cross-entropy falls well below guessing)', () => {
    const cfg = {
      ...DEFAULT_GRADIENT_LAB,
      task: 'copy' as const,
      symbols: 4,
      features: 6,
      cell: 'lstm' as const,
      units: 16,
      learningRate: 0.02,
    };
    const m = new GradientLabModel(cfg);
    const test = copyBatch(64, 3, 2, 4, 999);
    expect(m.evaluate(test)).toBeGreaterThan(Math.log(4) * 0.9);
    m.trainStep(copyBatch(32, 3, 2, 4, 0));
    noLeak(() => {
      for (let i = 1; i < 120; i++) m.trainStep(copyBatch(32, 3, 2, 4, i));
    });
    expect(m.evaluate(test)).toBeLessThan(Math.log(4) * 0.6);
    expect(() => m.trainStep(addingBatch(4, 8, 1))).toThrow(
      /expected a copy batch with 6 features/,
    );
    const cut = new GradientLabModel({ ...cfg, truncate: 2 });
    const s = cut.trainStep(test); // time 8: only the last 2 steps get gradient
    expect(s.stepNorms.slice(0, 6).every((n) => n === 0)).toBe(true);
    expect(Number.isFinite(s.loss)).toBe(true);
    m.dispose();
    cut.dispose();
  });

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
