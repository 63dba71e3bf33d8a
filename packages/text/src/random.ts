// Seeded, serialisable pseudo-random numbers (mulberry32): weight initialisation, dropout seeds and masks, shuffling, plus normal samples (Box-Muller). Pure, so every package (and the kernels' workers) draws from this one generator.

/** Plain-JSON state of an {@link Rng}; store it in checkpoints to resume the same random stream. */
export interface RngState {
  s: number;
}

/**
 * A small deterministic PRNG whose whole state is one 32-bit integer, so a
 * checkpoint can capture and restore it exactly.
 *
 * @example
 * const rng = new Rng(42);
 * const x = rng.next(); // in [0, 1)
 * const saved = rng.getState();
 */
export class Rng {
  private s: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    this.s = seed >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, 2^31), handy as a seed for tf random ops. */
  nextSeed(): number {
    return Math.floor(this.next() * 2147483647);
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = xs[i] as T;
      xs[i] = xs[j] as T;
      xs[j] = tmp;
    }
    return xs;
  }

  getState(): RngState {
    return { s: this.s };
  }

  setState(state: RngState): void {
    if (typeof state?.s !== 'number')
      throw new Error(`Rng.setState: expected { s: number }, got ${JSON.stringify(state)}`);
    this.s = state.s >>> 0;
  }
}

/** A seeded generator of uniform floats in [0, 1), as a plain function. */
export type RandomFn = () => number;

/**
 * {@link Rng}'s stream as a function: the same numbers as `new Rng(seed).next()`.
 * @example const r = makeRng(42); r(); // 0.6011...
 */
export function makeRng(seed: number): RandomFn {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Standard normal samples from a uniform generator (Box-Muller, both outputs used). */
export function fillNormal(out: Float64Array | Float32Array, rng: RandomFn): void {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = Math.max(rng(), 1e-12);
    const u2 = rng();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = r * Math.sin(2 * Math.PI * u2);
  }
}
