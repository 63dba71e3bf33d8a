// The benchmark's WebAssembly SIMD ceiling: its module computes what it claims (12 chains of
// x ← 0.999·x + 0.001 from 0) and the multi-threaded measurement returns a rate.
import { expect, test } from 'vitest';
import { compile, simdPeak } from '../bench/simd-peak';

test('the ceiling module runs 12 f32x4 multiply-add chains', async () => {
  const { module } = await compile();
  const fma = new WebAssembly.Instance(module).exports.fma as (n: number) => number;
  for (const n of [0, 1, 10, 1000]) {
    // lane 0 of the 12 accumulators summed: 12 · (1 − 0.999ⁿ)
    expect(fma(n)).toBeCloseTo(12 * (1 - 0.999 ** n), 3);
  }
});

test('simdPeak measures on 1 and 2 threads at once', async () => {
  for (const threads of [1, 2]) {
    const r = await simdPeak(threads, 100_000, 1);
    expect(r.gflops).toBeGreaterThan(0);
    expect(Number.isFinite(r.gflops)).toBe(true);
    expect(typeof r.relaxed).toBe('boolean');
  }
});
