// train.wat's GEMM against a float64 reference: every stride layout (row-major, transposed, and
// padded rows), edges of the 4×8 tile, 64-row blocks, 256-deep slices and 512-column panels,
// accumulation, batches, and 1 or 2 threads (which must give the same bits).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { KernelPool } from '../src/index';
import { nodeSpawn } from '../src/node';

let pools: KernelPool[] = [];
beforeAll(async () => {
  pools = [
    await KernelPool.create({ threads: 1 }),
    await KernelPool.create({ threads: 2, spawn: nodeSpawn }),
  ];
});
afterAll(() => {
  for (const p of pools) p.dispose();
});

/** An operand's layout: 'n' row-major, 't' stored transposed; pad adds unused elements per line. */
interface Layout {
  trans: boolean;
  pad: number;
}
interface Case {
  M: number;
  N: number;
  K: number;
  a: Layout;
  b: Layout;
  batch: number;
  acc: boolean;
  seed: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

/** rows × cols logical matrix stored with `l`: element strides and the stored length. */
function strides(rows: number, cols: number, l: Layout) {
  return l.trans
    ? { rs: 1, cs: rows + l.pad, len: cols * (rows + l.pad) }
    : { rs: cols + l.pad, cs: 1, len: rows * (cols + l.pad) };
}

/** C after the pool's gemm, and the float64 reference of the same product. */
function run(pool: KernelPool, c: Case): { got: Float32Array; want: Float64Array } {
  const mark = pool.mark;
  try {
    const r = rng(c.seed);
    const sa = strides(c.M, c.K, c.a);
    const sb = strides(c.K, c.N, c.b);
    const ldc = c.N + 1;
    const clen = c.M * ldc;
    const A = pool.alloc(sa.len * c.batch);
    const B = pool.alloc(sb.len * c.batch);
    const C = pool.alloc(clen * c.batch);
    const a = pool.f32(A, sa.len * c.batch);
    const b = pool.f32(B, sb.len * c.batch);
    const cc = pool.f32(C, clen * c.batch);
    for (let i = 0; i < a.length; i++) a[i] = r();
    for (let i = 0; i < b.length; i++) b[i] = r();
    for (let i = 0; i < cc.length; i++) cc[i] = r();
    const want = new Float64Array(cc.length);
    for (let z = 0; z < c.batch; z++)
      for (let i = 0; i < c.M; i++)
        for (let j = 0; j < ldc; j++) {
          const at = z * clen + i * ldc + j;
          if (j === c.N) {
            want[at] = cc[at] as number; // the padding column is never written
            continue;
          }
          let s = c.acc ? (cc[at] as number) : 0;
          for (let k = 0; k < c.K; k++)
            s +=
              (a[z * sa.len + i * sa.rs + k * sa.cs] as number) *
              (b[z * sb.len + k * sb.rs + j * sb.cs] as number);
          want[at] = s;
        }
    pool.gemm(
      { at: A, rs: sa.rs, cs: sa.cs, bs: sa.len },
      { at: B, rs: sb.rs, cs: sb.cs, bs: sb.len },
      { at: C, ld: ldc, bs: clen },
      c.M,
      c.N,
      c.K,
      c.acc,
      c.batch,
    );
    return { got: pool.f32(C, clen * c.batch).slice(), want };
  } finally {
    pool.reset(mark);
  }
}

function check(c: Case): void {
  const results = pools.map((p) => run(p, c));
  const [one, two] = results as [(typeof results)[0], (typeof results)[0]];
  const tol = 1e-5 * Math.sqrt(c.K) + 1e-6;
  let worst = 0;
  for (let i = 0; i < one.want.length; i++)
    worst = Math.max(worst, Math.abs((one.got[i] as number) - (one.want[i] as number)));
  expect(worst, JSON.stringify(c)).toBeLessThan(tol);
  expect(Buffer.from(two.got.buffer).equals(Buffer.from(one.got.buffer)), 'threads 1 vs 2').toBe(
    true,
  );
}

const LAYOUTS: Layout[] = [
  { trans: false, pad: 0 },
  { trans: true, pad: 0 },
  { trans: false, pad: 3 },
  { trans: true, pad: 5 },
];

describe('gemm', () => {
  test('block, slice and panel edges in every layout (M 70 > 64, K 260 > 256, N 515 > 512)', () => {
    let seed = 1;
    for (const a of LAYOUTS)
      for (const b of LAYOUTS)
        for (const acc of [false, true])
          check({ M: 70, N: 515, K: 260, a, b, batch: 1, acc, seed: seed++ });
  });

  test('any small shape, layout, batch and accumulation', () => {
    const layout = fc.record({ trans: fc.boolean(), pad: fc.integer({ min: 0, max: 4 }) });
    fc.assert(
      fc.property(
        fc.record({
          M: fc.integer({ min: 1, max: 23 }),
          N: fc.integer({ min: 1, max: 37 }),
          K: fc.integer({ min: 1, max: 19 }),
          a: layout,
          b: layout,
          batch: fc.integer({ min: 1, max: 3 }),
          acc: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1e6 }),
        }),
        (c) => check(c),
      ),
      { numRuns: 150 },
    );
  });
});
