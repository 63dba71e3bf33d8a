import { beforeAll, describe, expect, it } from 'vitest';
import { Forecaster } from '../src/forecaster';
import { meanAbsoluteError, parseMonthlyCsv, seasonalNaive } from '../src/series';
import { noLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

describe('series', () => {
  it('parses a monthly CSV and fills missing months', () => {
    const s = parseMonthlyCsv(
      'Date,CO2,x\n1958-03-01,315.7,1\n1958-05-01,317.5,2\n1958-06-01,317,3',
      'CO2',
    );
    expect(s.months).toEqual(['1958-03', '1958-04', '1958-05', '1958-06']);
    expect(s.values[1]).toBeCloseTo(316.6, 6);
    expect(s.filled).toBe(1);
    expect(() => parseMonthlyCsv('Date,y\n', 'CO2')).toThrow(/the header has Date, y/);
  });

  it('seasonal naive repeats the last season', () => {
    expect(seasonalNaive([1, 2, 3, 4], 2, 3)).toEqual([3, 4, 3]);
    expect(meanAbsoluteError([1, 2], [2, 4])).toBe(1.5);
  });
});

describe('Forecaster', () => {
  it('learns a trend plus season and beats seasonal naive on the held-out tail', () => {
    // A CO2-like series: linear trend + yearly cycle.
    const y = Array.from(
      { length: 180 },
      (_, t) => 300 + 0.12 * t + 3 * Math.sin((2 * Math.PI * t) / 12),
    );
    const train = y.slice(0, 156);
    const tail = y.slice(156);
    const f = new Forecaster(train, {
      window: 12,
      units: 8,
      period: 12,
      learningRate: 0.02,
      seed: 1,
    });
    const first = f.trainEpoch(32);
    let last = first;
    noLeak(() => {
      for (let e = 0; e < 25; e++) last = f.trainEpoch(32);
    });
    expect(last).toBeLessThan(first);
    const fc = noLeak(() => f.forecast(24));
    expect(fc.mean).toHaveLength(24);
    for (let h = 0; h < 24; h++) {
      expect(fc.lower[h]).toBeLessThan(fc.mean[h] as number);
      expect(fc.upper[h]).toBeGreaterThan(fc.mean[h] as number);
    }
    const naive = seasonalNaive(train, 12, 24);
    expect(meanAbsoluteError(fc.mean, tail)).toBeLessThan(meanAbsoluteError(naive, tail));
    f.dispose();
  });
});
