// Seeded PRNG (sfc32) with integer-only state, so browser and Node draw identical streams.

/** A seeded source of 32-bit unsigned integers and helpers over it. */
export interface Rng {
  /** Next uint32. */
  u32(): number;
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number;
  /** Uniform float in [0, 1). */
  float(): number;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
}

/**
 * sfc32 seeded with up to four 32-bit words. Distinct seed tuples give distinct
 * initial states, which is how splits get disjoint streams (the split is one word).
 *
 * @example
 * const rng = sfc32(42, 1, 0); rng.int(0, 9);
 */
export function sfc32(w0: number, w1 = 0, w2 = 0, w3 = 1): Rng {
  let a = w0 >>> 0;
  let b = w1 >>> 0;
  let c = w2 >>> 0;
  let d = w3 >>> 0;
  const u32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Warm-up decorrelates nearby seeds (e.g. consecutive scene indices).
  for (let i = 0; i < 15; i++) u32();
  const rng: Rng = {
    u32,
    // Rejection sampling keeps integers exactly uniform (no modulo bias).
    int(lo, hi) {
      if (!Number.isInteger(lo) || !Number.isInteger(hi) || hi < lo) {
        throw new Error(`Rng.int expected integers lo <= hi, got lo=${lo} hi=${hi}`);
      }
      const span = hi - lo + 1;
      const limit = Math.floor(0x100000000 / span) * span;
      let v = u32();
      while (v >= limit) v = u32();
      return lo + (v % span);
    },
    float: () => u32() / 0x100000000,
    pick(items) {
      if (items.length === 0) throw new Error('Rng.pick expected a non-empty array, got []');
      return items[rng.int(0, items.length - 1)] as (typeof items)[number];
    },
  };
  return rng;
}
