import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centreSquare, fitWithin, MAX_SOURCE_PIXELS, refuseReason } from '../lib/image-size';

describe('fitWithin', () => {
  it('downscales keeping the aspect ratio', () => {
    expect(fitWithin({ width: 4000, height: 3000 }, 512)).toEqual({ width: 512, height: 384 });
    expect(fitWithin({ width: 300, height: 9000 }, 512)).toEqual({ width: 17, height: 512 });
  });

  it('never upscales and never returns a zero side', () => {
    expect(fitWithin({ width: 64, height: 64 }, 512)).toEqual({ width: 64, height: 64 });
    expect(fitWithin({ width: 30000, height: 1 }, 512)).toEqual({ width: 512, height: 1 });
  });

  it('holds for any size: inside the box, aspect within rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40000 }),
        fc.integer({ min: 1, max: 40000 }),
        fc.integer({ min: 1, max: 1024 }),
        (w, h, max) => {
          const r = fitWithin({ width: w, height: h }, max);
          expect(r.width).toBeGreaterThanOrEqual(1);
          expect(r.height).toBeGreaterThanOrEqual(1);
          expect(Math.max(r.width, r.height)).toBeLessThanOrEqual(Math.max(max, 1));
          expect(r.width).toBeLessThanOrEqual(w);
          expect(r.height).toBeLessThanOrEqual(h);
          const scale = Math.min(1, max / Math.max(w, h));
          expect(Math.abs(r.width - w * scale)).toBeLessThanOrEqual(1);
          expect(Math.abs(r.height - h * scale)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });

  it('explains bad sizes', () => {
    expect(() => fitWithin({ width: 0, height: 10 }, 64)).toThrow(
      /positive width and height, got 0×10/,
    );
    expect(() => fitWithin({ width: 10, height: 10 }, 0)).toThrow(/maxSide must be ≥ 1/);
  });
});

describe('centreSquare', () => {
  it('takes the middle of the long side', () => {
    expect(centreSquare({ width: 640, height: 480 })).toEqual({ sx: 80, sy: 0, side: 480 });
    expect(centreSquare({ width: 100, height: 301 })).toEqual({ sx: 0, sy: 100, side: 100 });
  });
});

describe('refuseReason', () => {
  it('accepts ordinary photos and refuses absurd ones with the numbers', () => {
    expect(refuseReason({ width: 6000, height: 4000 })).toBeNull();
    expect(refuseReason({ width: 20000, height: 20000 })).toMatch(
      /20000×20000 \(400 megapixels\).*up to 100 megapixels/,
    );
    expect(refuseReason({ width: 40000, height: 10 })).toMatch(/32767 pixels a side/);
    expect(refuseReason({ width: 0, height: 5 })).toMatch(/no pixels/);
    expect(MAX_SOURCE_PIXELS).toBe(100_000_000);
  });
});
