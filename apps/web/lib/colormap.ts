// Viridis colour scale for heatmaps: perceptually uniform and readable with colour-blindness.

/** matplotlib's viridis sampled at 0, 0.1, …, 1; linear interpolation between stops is within 1/255 of the full table's look. */
const VIRIDIS = [
  [68, 1, 84],
  [72, 36, 117],
  [65, 68, 135],
  [53, 95, 141],
  [42, 120, 142],
  [33, 145, 140],
  [34, 168, 132],
  [68, 191, 112],
  [122, 209, 81],
  [189, 223, 38],
  [253, 231, 37],
] as const;

export type RGB = readonly [number, number, number];

/**
 * Colour for a value in [0, 1] (clamped; NaN counts as 0).
 *
 * @example
 * viridis(0); // [68, 1, 84] (dark purple)
 * viridis(1); // [253, 231, 37] (yellow)
 */
export function viridis(t: number): RGB {
  const x = Number.isNaN(t) ? 0 : Math.min(1, Math.max(0, t));
  const pos = x * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS[i]!;
  const b = VIRIDIS[i + 1]!;
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

/** CSS colour string for `viridis(t)`. */
export function viridisCss(t: number, alpha = 1): string {
  const [r, g, b] = viridis(t);
  return alpha >= 1 ? `rgb(${r} ${g} ${b})` : `rgb(${r} ${g} ${b} / ${alpha})`;
}

/** WCAG relative luminance of an sRGB colour, 0 (black) to 1 (white). */
export function luminance([r, g, b]: RGB): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Black or white, whichever reads better on `bg` (higher WCAG contrast). */
export function textOn(bg: RGB): '#000' | '#fff' {
  const l = luminance(bg);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#000' : '#fff';
}

/**
 * Scales each row so its largest weight is 1: attention rows sum to 1 over many source tokens,
 * so raw weights would all look dark on long inputs.
 */
export function normaliseRows(m: readonly (readonly number[])[]): number[][] {
  return m.map((row) => {
    const max = Math.max(0, ...row.filter(Number.isFinite));
    return row.map((v) => (max > 0 && Number.isFinite(v) ? v / max : 0));
  });
}
