// Style augmentation of caption training images (random scale, shift, outline, flat colours, grey).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  augmentInto,
  checkAugment,
  drawAugment,
  flattenColours,
  rgbaToRgb01,
} from '../src/captions';
import { S, square } from './fixtures/square';

/** Number of pixels noticeably different from white. */
function inked(rgb: Float32Array, at = 0): number {
  let n = 0;
  for (let p = 0; p < S * S; p++) if ((rgb[at + p * 3 + 1] as number) < 0.9) n++;
  return n;
}

describe('augmentInto', () => {
  it('with scale 1, no shift and no outline equals plain compositing over white', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: S * S * 4, maxLength: S * S * 4 }), (rgba) => {
        const a = new Float32Array(S * S * 3);
        const b = new Float32Array(S * S * 3);
        rgbaToRgb01(rgba, a, 0);
        augmentInto(rgba, b, 0, { scale: 1, shift: [0, 0], outline: 0 });
        for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i] as number, 5);
      }),
      { numRuns: 20 },
    );
  });

  it('scales about the centre: half scale covers a quarter of the area', () => {
    const out = new Float32Array(S * S * 3);
    augmentInto(square(40), out, 0, { scale: 0.5, shift: [0, 0], outline: 0 });
    // 40×40 → 20×20 (bilinear edges may add a ring of partial pixels).
    expect(inked(out)).toBeGreaterThanOrEqual(18 * 18);
    expect(inked(out)).toBeLessThanOrEqual(22 * 22);
    // The centre stays red; the corner stays white.
    const c = ((32 * S + 32) * 3) as number;
    expect(out[c]).toBeGreaterThan(0.8);
    expect(out[c + 1]).toBeLessThan(0.2);
    expect(out[0]).toBeCloseTo(1, 5);
  });

  it('shifts by whole pixels', () => {
    const a = new Float32Array(S * S * 3);
    const b = new Float32Array(S * S * 3);
    augmentInto(square(20), a, 0, { scale: 1, shift: [0, 0], outline: 0 });
    augmentInto(square(20), b, 0, { scale: 1, shift: [3, -2], outline: 0 });
    for (let y = 2; y < S - 2; y++)
      for (let x = 0; x < S - 3; x++)
        expect(b[((y - 2) * S + x + 3) * 3]).toBeCloseTo(a[(y * S + x) * 3] as number, 5);
  });

  it('outlines draw dark lines on the figure side of its edge, and only there', () => {
    const plain = new Float32Array(S * S * 3);
    const lined = new Float32Array(S * S * 3);
    augmentInto(square(20), plain, 0, { scale: 1, shift: [0, 0], outline: 0 });
    augmentInto(square(20), lined, 0, { scale: 1, shift: [0, 0], outline: 1 });
    let dark = 0;
    for (let p = 0; p < S * S; p++) {
      if ((lined[p * 3] as number) < 0.1) {
        dark++;
        // Every dark pixel was part of the square (not the white background).
        expect(plain[p * 3 + 1] as number).toBeLessThan(0.5);
      }
    }
    expect(dark).toBe(4 * 20 - 4); // the square's border ring
    // Thickness 2 grows the ring.
    const thick = new Float32Array(S * S * 3);
    augmentInto(square(20), thick, 0, { scale: 1, shift: [0, 0], outline: 2 });
    let dark2 = 0;
    for (let p = 0; p < S * S; p++) if ((thick[p * 3] as number) < 0.1) dark2++;
    expect(dark2).toBeGreaterThan(dark);
  });

  it('writes at the offset and leaves the rest of the buffer alone', () => {
    const out = new Float32Array(2 * S * S * 3).fill(-1);
    augmentInto(square(10), out, S * S * 3, { scale: 0.8, shift: [1, 1], outline: 1 });
    expect(out.subarray(0, S * S * 3).every((v) => v === -1)).toBe(true);
    expect(out.subarray(S * S * 3).every((v) => v >= 0 && v <= 1)).toBe(true);
  });
});

describe('drawAugment and checkAugment', () => {
  it('draws within the configured ranges, deterministically', () => {
    fc.assert(
      fc.property(fc.nat(), (h) => {
        const d = drawAugment(h, { scale: [0.7, 0.9], outline: 0.5 }, 3);
        expect(d).toEqual(drawAugment(h, { scale: [0.7, 0.9], outline: 0.5 }, 3));
        expect(d.scale).toBeGreaterThanOrEqual(0.7);
        expect(d.scale).toBeLessThanOrEqual(0.9);
        expect(Math.abs(d.shift[0])).toBeLessThanOrEqual(3);
        expect(Math.abs(d.shift[1])).toBeLessThanOrEqual(3);
        expect([0, 1, 2]).toContain(d.outline);
      }),
    );
    // Outline probability 0.5 gives outlines about half the time; 0 never.
    let lined = 0;
    for (let h = 0; h < 2000; h++) if (drawAugment(h * 7919, { outline: 0.5 }, 0).outline) lined++;
    expect(lined).toBeGreaterThan(850);
    expect(lined).toBeLessThan(1150);
    for (let h = 0; h < 200; h++)
      expect(drawAugment(h, {}, 0)).toEqual({ scale: 1, shift: [0, 0], outline: 0 });
  });

  it('rejects malformed settings with a message naming what is valid', () => {
    expect(checkAugment(undefined)).toEqual({});
    expect(checkAugment({ scale: [0.7, 1], outline: 0.3 })).toEqual({
      scale: [0.7, 1],
      outline: 0.3,
    });
    expect(() => checkAugment([1])).toThrow(/expected an object/);
    expect(() => checkAugment({ scale: [1, 0.5] })).toThrow(/min ≤ max/);
    expect(() => checkAugment({ scale: 0.5 })).toThrow(/augment.scale/);
    expect(() => checkAugment({ outline: 2 })).toThrow(/probability/);
    expect(() => checkAugment({ blur: 1 })).toThrow(
      /unknown key\(s\) blur; valid keys are scale, outline, flatten, grey/,
    );
    expect(checkAugment({ flatten: 0.6, grey: 0.1 })).toEqual({ flatten: 0.6, grey: 0.1 });
    expect(() => checkAugment({ flatten: -0.1 })).toThrow(
      /augment.flatten: expected a probability/,
    );
    expect(() => checkAugment({ grey: '0.1' })).toThrow(/augment.grey: expected a probability/);
  });

  it('flatten and grey are drawn on their own salts: older configs draw exactly as before', () => {
    for (let h = 0; h < 500; h++) {
      const base = { scale: [0.7, 1] as [number, number], outline: 0.5 };
      const old = drawAugment(h * 31, base, 3);
      expect(Object.keys(old).sort()).toEqual(['outline', 'scale', 'shift']);
      const more = drawAugment(h * 31, { ...base, flatten: 1, grey: 1 }, 3);
      expect({ scale: more.scale, shift: more.shift, outline: more.outline }).toEqual(old);
      expect(more.grey).toBe(true);
      expect(more.flatten).toBeGreaterThanOrEqual(4);
      expect(more.flatten).toBeLessThanOrEqual(10);
    }
    let flat = 0;
    for (let h = 0; h < 2000; h++) if (drawAugment(h * 7919, { flatten: 0.3 }, 0).flatten) flat++;
    expect(flat).toBeGreaterThan(480);
    expect(flat).toBeLessThan(720);
  });
});

describe('flattenColours and grey', () => {
  /** Distinct RGB triples in a packed buffer. */
  const colours = (rgb: Float32Array) => {
    const set = new Set<string>();
    for (let p = 0; p < rgb.length; p += 3) set.add(`${rgb[p]},${rgb[p + 1]},${rgb[p + 2]}`);
    return set;
  };

  it('leaves at most k colours, each the mean of the pixels it replaced', () => {
    fc.assert(
      fc.property(
        fc.float32Array({ minLength: 300, maxLength: 300, noNaN: true, min: 0, max: 1 }),
        fc.integer({ min: 2, max: 10 }),
        (values, k) => {
          const rgb = Float32Array.from(values);
          flattenColours(rgb, k);
          expect(colours(rgb).size).toBeLessThanOrEqual(k);
          for (const v of rgb) expect(v >= 0 && v <= 1).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('keeps an image that already has k or fewer colours exactly', () => {
    const rgb = new Float32Array(S * S * 3).fill(1);
    for (let p = 0; p < 500; p++) rgb.set([0.8, 0.1, 0.1], p * 3);
    for (let p = 900; p < 1200; p++) rgb.set([0.2, 0.3, 0.9], p * 3);
    const before = Float32Array.from(rgb);
    flattenColours(rgb, 4);
    expect(rgb).toEqual(before);
  });

  it('turns a shaded figure into flat fills that the outline then follows', () => {
    // A red square shaded left to right: dozens of colours become at most 4.
    const d = square(30);
    for (let y = 0; y < S; y++)
      for (let x = 0; x < S; x++)
        if (d[(y * S + x) * 4 + 3]) d[(y * S + x) * 4] = 120 + 4 * (x - 17);
    const shaded = new Float32Array(S * S * 3);
    const flat = new Float32Array(S * S * 3);
    augmentInto(d, shaded, 0, { scale: 1, shift: [0, 0], outline: 0 });
    augmentInto(d, flat, 0, { scale: 1, shift: [0, 0], outline: 0, flatten: 4 });
    expect(colours(shaded).size).toBeGreaterThan(20);
    expect(colours(flat).size).toBeLessThanOrEqual(4);
    // The white background stays white.
    expect([flat[0], flat[1], flat[2]]).toEqual([1, 1, 1]);
  });

  it('grey gives equal channels (luma) and keeps white white', () => {
    const out = new Float32Array(S * S * 3);
    augmentInto(square(20), out, 0, { scale: 1, shift: [0, 0], outline: 0, grey: true });
    for (let p = 0; p < S * S; p++) {
      expect(out[p * 3]).toBeCloseTo(out[p * 3 + 1] as number, 6);
      expect(out[p * 3]).toBeCloseTo(out[p * 3 + 2] as number, 6);
    }
    expect(out[0]).toBeCloseTo(1, 5);
    const c = (32 * S + 32) * 3;
    expect(out[c]).toBeCloseTo(0.299 * (220 / 255) + 0.587 * (30 / 255) + 0.114 * (30 / 255), 5);
  });
});
