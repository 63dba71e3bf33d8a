// The float32 SIMD kernels one by one against plain-JS references (property tests).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { KernelArena } from '../src/index';

const arena = KernelArena.create() as KernelArena;
const vec = (n: number, scale = 1) =>
  fc.float32Array({
    minLength: n,
    maxLength: n,
    noNaN: true,
    min: -scale,
    max: scale,
    noDefaultInfinity: true,
  });

function put(values: Float32Array): number {
  const at = arena.alloc(values.length);
  arena.f32(at, values.length).set(values);
  return at;
}

describe('host SIMD kernels', () => {
  test('gemvf is bias + x·W; gemvf4 gives four rows the same bits as four gemvf calls', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer(),
        (K, blocks, rows, seed) => {
          const Np = 16 * blocks;
          let s = seed >>> 0 || 1;
          const rnd = () => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return s / 2 ** 32 - 0.5;
          };
          const mark = arena.mark;
          const x = put(Float32Array.from({ length: rows * K }, rnd));
          const w = put(Float32Array.from({ length: K * Np }, rnd));
          const b = put(Float32Array.from({ length: Np }, rnd));
          const one = arena.alloc(rows * Np);
          const many = arena.alloc(rows * Np);
          for (let r = 0; r < rows; r++)
            arena.k.gemvf(x + 4 * r * K, w, b, one + 4 * r * Np, K, Np);
          arena.gemvRows(x, 4 * K, w, b, many, 4 * Np, K, Np, rows);
          const [X, W, B] = [arena.f32(x, rows * K), arena.f32(w, K * Np), arena.f32(b, Np)];
          const got = arena.f32(one, rows * Np);
          expect(Array.from(arena.f32(many, rows * Np))).toEqual(Array.from(got));
          for (let r = 0; r < rows; r++)
            for (let j = 0; j < Np; j++) {
              let ref = B[j] as number;
              for (let k = 0; k < K; k++)
                ref += (X[r * K + k] as number) * (W[k * Np + j] as number);
              expect(Math.abs((got[r * Np + j] as number) - ref)).toBeLessThan(1e-5 * (1 + K));
            }
          arena.reset(mark);
        },
      ),
      { numRuns: 40, seed: 3 },
    );
  });

  test('lstmgates: c ← σ(f)·c + σ(i)·tanh(g), h ← σ(o)·tanh(c); tanhv and addtanhdot', () => {
    const sig = (x: number) => 1 / (1 + Math.exp(-x));
    fc.assert(
      fc.property(vec(64, 30), vec(16, 5), (z, c) => {
        const mark = arena.mark;
        const zAt = put(z);
        const cAt = put(c);
        const hAt = arena.alloc(16);
        arena.k.lstmgates(zAt, cAt, hAt, 16);
        const [C, Hh] = [arena.f32(cAt, 16), arena.f32(hAt, 16)];
        for (let u = 0; u < 16; u++) {
          const cn =
            sig(z[16 + u] as number) * (c[u] as number) +
            sig(z[u] as number) * Math.tanh(z[32 + u] as number);
          expect(C[u]).toBeCloseTo(cn, 5);
          expect(Hh[u]).toBeCloseTo(sig(z[48 + u] as number) * Math.tanh(cn), 5);
        }
        arena.reset(mark);
      }),
      { numRuns: 60, seed: 4 },
    );
    fc.assert(
      fc.property(vec(32, 40), (x) => {
        const mark = arena.mark;
        const at = put(x);
        arena.k.tanhv(at, 32);
        const t = arena.f32(at, 32);
        for (let i = 0; i < 32; i++)
          expect(Math.abs((t[i] as number) - Math.tanh(x[i] as number))).toBeLessThan(3e-7);
        arena.reset(mark);
      }),
      { numRuns: 60, seed: 5 },
    );
    fc.assert(
      fc.property(vec(3 * 8, 4), vec(8, 4), vec(8, 1), (keys, q, v) => {
        const mark = arena.mark;
        const out = arena.alloc(4);
        arena.k.addtanhdot(put(keys), put(q), put(v), out, 3, 8);
        const o = arena.f32(out, 3);
        for (let t = 0; t < 3; t++) {
          let ref = 0;
          for (let a = 0; a < 8; a++)
            ref += (v[a] as number) * Math.tanh((keys[t * 8 + a] as number) + (q[a] as number));
          expect(o[t]).toBeCloseTo(ref, 5);
        }
        arena.reset(mark);
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});
