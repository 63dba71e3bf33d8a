// Seeded pseudo-random numbers (mulberry32 + Box-Muller) so every initializer is reproducible.

/** A seeded generator of uniform floats in [0, 1). */
export type Rng = () => number;

/**
 * Mulberry32: tiny, fast, good enough statistical quality for weight init.
 * @example const r = makeRng(42); r(); // 0.6011...
 */
export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples from a uniform generator (Box-Muller, both outputs used). */
export function fillNormal(out: Float64Array | Float32Array, rng: Rng): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}
