import { describe, expect, it } from 'vitest';
import { luminance, normaliseRows, textOn, viridis, viridisCss } from '../lib/colormap';

describe('viridis', () => {
  it('hits the published end points and clamps outside [0, 1]', () => {
    expect(viridis(0)).toEqual([68, 1, 84]);
    expect(viridis(1)).toEqual([253, 231, 37]);
    expect(viridis(0.5)).toEqual([33, 145, 140]);
    expect(viridis(-3)).toEqual(viridis(0));
    expect(viridis(7)).toEqual(viridis(1));
    expect(viridis(Number.NaN)).toEqual(viridis(0));
  });

  it('gets strictly lighter as the value grows, so order reads without hue', () => {
    let prev = -1;
    for (let i = 0; i <= 100; i++) {
      const l = luminance(viridis(i / 100));
      expect(l).toBeGreaterThan(prev);
      prev = l;
    }
  });

  it('writes CSS colours, with alpha when asked', () => {
    expect(viridisCss(0)).toBe('rgb(68 1 84)');
    expect(viridisCss(1, 0.5)).toBe('rgb(253 231 37 / 0.5)');
  });

  it('picks readable text: white on dark purple, black on yellow', () => {
    expect(textOn(viridis(0))).toBe('#fff');
    expect(textOn(viridis(1))).toBe('#000');
  });
});

describe('normaliseRows', () => {
  it('scales each row to its maximum and keeps zero rows at zero', () => {
    expect(
      normaliseRows([
        [0.1, 0.2, 0.05],
        [0, 0, 0],
        [0.5, Number.NaN, 0.25],
      ]),
    ).toEqual([
      [0.5, 1, 0.25],
      [0, 0, 0],
      [1, 0, 0.5],
    ]);
  });
});
