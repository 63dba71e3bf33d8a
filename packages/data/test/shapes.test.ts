// Shapes world: spec properties over many seeds, held-out splits, determinism and golden hashes.

import { fnv1a } from '@seqlab/text';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AMBIGUITY_PX,
  COLOUR_JITTER,
  COLOUR_RGB,
  generateLayout,
  generateScene,
  generateScenes,
  isHeldOut,
  MIN_GAP,
  relationOf,
  SHAPE_COLOURS,
  SHAPE_KINDS,
  SHAPE_SIZES,
  type ShapeObject,
  type ShapesSplit,
  SIZE_RANGE,
} from '../src/shapes';

const OBJ = `a (${SHAPE_SIZES.join('|')}) (${SHAPE_COLOURS.join('|')}) (${SHAPE_KINDS.join('|')})`;
const ONE = new RegExp(`^${OBJ}$`);
const TWO = new RegExp(`^${OBJ} (left of|right of|above|below) ${OBJ}$`);
const THREE = new RegExp(`^${OBJ}, ${OBJ} and ${OBJ}$`);
const splitArb = fc.constantFrom<ShapesSplit>('train', 'valid', 'test', 'novel');

function apart(a: ShapeObject, b: ShapeObject): boolean {
  return (
    a.x + a.side + MIN_GAP <= b.x ||
    b.x + b.side + MIN_GAP <= a.x ||
    a.y + a.side + MIN_GAP <= b.y ||
    b.y + b.side + MIN_GAP <= a.y
  );
}

describe('shapes scene spec', () => {
  it('geometry, sizes, colours and captions follow the spec for any seed/split/index', () => {
    fc.assert(
      fc.property(fc.nat(), splitArb, fc.nat({ max: 100_000 }), (seed, split, index) => {
        const s = generateLayout({ seed, split, index });
        expect(s.objects.length).toBeGreaterThanOrEqual(1);
        expect(s.objects.length).toBeLessThanOrEqual(3);
        for (const c of s.background) expect(c >= 225 && c <= 255).toBe(true);
        for (const o of s.objects) {
          const [lo, hi] = SIZE_RANGE[o.size];
          expect(o.side >= lo && o.side <= hi).toBe(true);
          expect(o.x >= 0 && o.y >= 0 && o.x + o.side <= 64 && o.y + o.side <= 64).toBe(true);
          const base = COLOUR_RGB[o.colour];
          for (const [k, v] of o.rgb.entries()) {
            expect(Math.abs(v - (base[k] as number))).toBeLessThanOrEqual(COLOUR_JITTER);
          }
        }
        for (let i = 0; i < s.objects.length; i++)
          for (let j = i + 1; j < s.objects.length; j++)
            expect(apart(s.objects[i]!, s.objects[j]!)).toBe(true);
        const n = s.objects.length;
        expect(s.captions.length).toBe(n === 2 ? 2 : 1);
        for (const c of s.captions)
          expect((n === 1 ? ONE : n === 2 ? TWO : THREE).test(c)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('two-object relations agree with centres and are not borderline', () => {
    let checked = 0;
    for (let index = 0; checked < 500; index++) {
      const { objects, captions } = generateLayout({
        seed: 3,
        split: 'train',
        index,
        numObjects: 2,
      });
      const [a, b] = objects as [ShapeObject, ShapeObject];
      const dx = b.cx - a.cx;
      const dy = b.cy - a.cy;
      expect(Math.abs(Math.abs(dx) - Math.abs(dy))).toBeGreaterThan(AMBIGUITY_PX);
      const expected =
        Math.abs(dx) > Math.abs(dy)
          ? dx > 0
            ? 'left of'
            : 'right of'
          : dy > 0
            ? 'above'
            : 'below';
      expect(captions[0]).toContain(` ${expected} a `);
      const inverse = {
        'left of': 'right of',
        'right of': 'left of',
        above: 'below',
        below: 'above',
      }[expected];
      expect(captions[1]).toContain(` ${inverse} a `);
      expect(relationOf(b, a)).toBe(inverse);
      checked++;
    }
  });

  it('three-object captions list objects left to right with unambiguous x order', () => {
    for (let index = 0; index < 300; index++) {
      const { objects, captions } = generateLayout({
        seed: 5,
        split: 'valid',
        index,
        numObjects: 3,
      });
      const sorted = [...objects].sort((p, q) => p.cx - q.cx);
      for (let i = 1; i < 3; i++)
        expect(sorted[i]!.cx - sorted[i - 1]!.cx).toBeGreaterThan(AMBIGUITY_PX);
      expect(captions[0]).toBe(
        sorted
          .map((o) => `a ${o.size} ${o.colour} ${o.shape}`)
          .join(', ')
          .replace(/, (a [^,]+)$/, ' and $1'),
      );
    }
  });
});

describe('held-out combinations', () => {
  it('never appear in 10k train scenes nor in valid/test; every novel scene has one', () => {
    const count = (split: ShapesSplit, n: number) => {
      let withHeldOut = 0;
      for (let index = 0; index < n; index++) {
        const { objects } = generateLayout({ seed: 11, split, index });
        if (objects.some((o) => isHeldOut(o.colour, o.shape))) withHeldOut++;
      }
      return withHeldOut;
    };
    expect(count('train', 10_000)).toBe(0);
    expect(count('valid', 2_000)).toBe(0);
    expect(count('test', 2_000)).toBe(0);
    expect(count('novel', 2_000)).toBe(2_000);
  });

  it('train still covers every non-held-out colour×shape pair', () => {
    const seen = new Set<string>();
    for (let index = 0; index < 2000; index++)
      for (const o of generateLayout({ seed: 2, split: 'train', index }).objects)
        seen.add(`${o.colour} ${o.shape}`);
    expect(seen.size).toBe(SHAPE_COLOURS.length * SHAPE_KINDS.length - 4);
  });

  it('splits draw from disjoint streams: no identical scene across train/valid/test', () => {
    const key = (split: ShapesSplit, index: number) =>
      JSON.stringify(generateLayout({ seed: 9, split, index }));
    const train = new Set(Array.from({ length: 1000 }, (_, i) => key('train', i)));
    for (let i = 0; i < 1000; i++) {
      expect(train.has(key('valid', i))).toBe(false);
      expect(train.has(key('test', i))).toBe(false);
    }
  });
});

describe('rendering', () => {
  it('is deterministic and matches golden hashes', () => {
    const a = generateScenes(4, { seed: 1234, split: 'train' });
    const b = generateScenes(4, { seed: 1234, split: 'train' });
    expect(a.map((s) => fnv1a(s.data))).toEqual(b.map((s) => fnv1a(s.data)));
    const golden = [...a, generateScene({ seed: 1234, split: 'novel', index: 0 })].map(
      (s) => `${fnv1a(s.data).toString(16)} ${s.captions[0]}`,
    );
    expect(golden).toMatchInlineSnapshot(`
      [
        "7a428826 a large purple triangle left of a large yellow triangle",
        "f2e8387d a small pink circle",
        "d9303862 a small pink square, a small orange star and a large red triangle",
        "166c4a19 a small green star right of a small purple triangle",
        "e6166ab5 a large blue triangle",
      ]
    `);
  });

  it('paints the object colour at its centre and leaves the background elsewhere', () => {
    for (const s of generateScenes(50, { seed: 77, split: 'test' })) {
      expect(s.data.length).toBe(64 * 64 * 4);
      for (const o of s.objects) {
        // The centre pixel of a filled shape is fully covered (the star's core included).
        const px = Math.floor(o.cx);
        const py = Math.floor(o.cy);
        const k = (py * 64 + px) * 4;
        expect([s.data[k], s.data[k + 1], s.data[k + 2]]).toEqual(o.rgb);
      }
      // Corner pixel is background unless an object's box covers it.
      const covered = s.objects.some((o) => o.x === 0 && o.y === 0);
      if (!covered)
        expect([s.data[0], s.data[1], s.data[2], s.data[3]]).toEqual([...s.background, 255]);
    }
  });

  it('anti-aliases edges: circles have partially covered pixels', () => {
    const s = generateScenes(40, { seed: 8, split: 'train', numObjects: 1 }).find(
      (x) => x.objects[0]!.shape === 'circle',
    )!;
    const o = s.objects[0]!;
    const distinct = new Set<number>();
    for (let y = o.y; y < o.y + o.side; y++)
      for (let x = o.x; x < o.x + o.side; x++) distinct.add(s.data[(y * 64 + x) * 4]!);
    expect(distinct.size).toBeGreaterThan(4);
  });

  it('rejects bad options with a clear message', () => {
    expect(() => generateScene({ seed: -1, split: 'train', index: 0 })).toThrow(
      /seed must be an integer/,
    );
    expect(() => generateScene({ seed: 1, split: 'dev' as ShapesSplit, index: 0 })).toThrow(
      /train, valid, test, novel/,
    );
  });
});
