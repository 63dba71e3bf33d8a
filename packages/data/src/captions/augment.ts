// Style augmentation for image-folder caption training: random scale and place, and drawn outlines.
// Emoji sets differ mostly in framing (how much of the 64 px the figure fills) and in line work
// (flat fills with dark outlines vs shaded fills without), so a captioner trained on two styles
// sees both variations before it meets a third.

/** Augmentation settings of a caption training config (all optional; omitted = off). */
export interface StyleAugment {
  /** Scale the image by a factor drawn uniformly from [min, max] (≤ 1 shrinks it onto white). */
  scale?: [number, number];
  /** Probability of drawing a dark outline along alpha and colour edges. */
  outline?: number;
  /**
   * Probability of flattening the colours to a few flat fills (k-means over the pixels, k from 4
   * to 10), as in flat-fill styles; applied before outlines, so lines follow the flat regions.
   */
  flatten?: number;
  /** Probability of turning the image grey (luma), so shape is learnt apart from colour. */
  grey?: number;
}

/** True when the settings change any image (false for {} and all-zero probabilities). */
export function augmentChangesImages(a: StyleAugment): boolean {
  return a.scale !== undefined || (a.outline ?? 0) > 0 || (a.flatten ?? 0) > 0 || (a.grey ?? 0) > 0;
}

/** Validates an augmentation config; throws naming what was expected and what arrived. */
export function checkAugment(a: unknown): StyleAugment {
  if (a === undefined) return {};
  if (typeof a !== 'object' || a === null || Array.isArray(a))
    throw new Error(
      `augment: expected an object like { "scale": [0.7, 1], "outline": 0.5 }, got ${JSON.stringify(a)}`,
    );
  const { scale, outline, flatten, grey, ...rest } = a as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0)
    throw new Error(
      `augment: unknown key(s) ${extra.join(', ')}; valid keys are scale, outline, flatten, grey`,
    );
  const out: StyleAugment = {};
  if (scale !== undefined) {
    if (
      !Array.isArray(scale) ||
      scale.length !== 2 ||
      !scale.every((v) => typeof v === 'number' && v > 0.2 && v <= 1.5) ||
      (scale[0] as number) > (scale[1] as number)
    )
      throw new Error(
        `augment.scale: expected [min, max] with 0.2 < min ≤ max ≤ 1.5, got ${JSON.stringify(scale)}`,
      );
    out.scale = [scale[0] as number, scale[1] as number];
  }
  for (const [key, v] of [
    ['outline', outline],
    ['flatten', flatten],
    ['grey', grey],
  ] as const) {
    if (v === undefined) continue;
    if (typeof v !== 'number' || !(v >= 0 && v <= 1))
      throw new Error(`augment.${key}: expected a probability in [0, 1], got ${JSON.stringify(v)}`);
    out[key] = v;
  }
  return out;
}

/** The right and lower neighbours: each pair of adjacent pixels is compared once. */
const RIGHT_AND_DOWN = [
  [1, 0],
  [0, 1],
] as const;

/** What one augmented draw does (all derived from a seed by {@link drawAugment}). */
export interface AugmentDraw {
  scale: number;
  /** Offset in pixels of the scaled image's centre from the image centre. */
  shift: [number, number];
  /** Outline thickness in pixels (0 = none). */
  outline: number;
  /** Number of flat colours to reduce the image to (0 = keep its colours). */
  flatten?: number;
  /** Turn the result grey. */
  grey?: boolean;
}

/** Uniform [0, 1) from a 32-bit hash and a salt. */
function unit(h: number, salt: number): number {
  let x = (h ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  x = Math.imul(x ^ (x >>> 12), 0x297a2d39);
  return ((x ^ (x >>> 15)) >>> 0) / 4294967296;
}

/** The augmentation for one image from a 32-bit hash: scale, a shift of up to `maxShift` px, outline. */
export function drawAugment(h: number, a: StyleAugment, maxShift: number): AugmentDraw {
  const [lo, hi] = a.scale ?? [1, 1];
  const scale = lo + (hi - lo) * unit(h, 1);
  // `|| 0` turns a rounded -0 into 0.
  const shift: [number, number] = [
    Math.round((unit(h, 2) * 2 - 1) * maxShift) || 0,
    Math.round((unit(h, 3) * 2 - 1) * maxShift) || 0,
  ];
  const outline = unit(h, 4) < (a.outline ?? 0) ? (unit(h, 5) < 0.5 ? 1 : 2) : 0;
  const d: AugmentDraw = { scale, shift, outline };
  // Later salts only: draws of configs without these keys stay as they were.
  if (unit(h, 6) < (a.flatten ?? 0)) d.flatten = 4 + Math.floor(unit(h, 7) * 7);
  if (unit(h, 8) < (a.grey ?? 0)) d.grey = true;
  return d;
}

/**
 * RGBA `size`×`size` → RGB floats in [0, 1] at `out[offset…]`, composited over white, scaled about
 * the centre (bilinear, premultiplied alpha), shifted, and optionally outlined in near-black where
 * alpha or colour changes sharply. With scale 1, no shift and no outline it equals plain compositing.
 */
export function augmentInto(
  rgba: Uint8Array | Uint8ClampedArray,
  out: Float32Array,
  offset: number,
  d: AugmentDraw,
  size = 64,
): void {
  const n = size * size;
  // Premultiplied RGBA in [0, 1] of the scaled, shifted image.
  const pm = new Float32Array(n * 4);
  const c = (size - 1) / 2;
  const inv = 1 / d.scale;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = (x - d.shift[0] - c) * inv + c;
      const sy = (y - d.shift[1] - c) * inv + c;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      // Each source neighbour once: its weight and alpha serve all four channels (sums kept
      // in doubles and stored once, as before, so augmented batches are bit for bit the same).
      let r = 0;
      let g = 0;
      let b = 0;
      let al = 0;
      for (let j = 0; j < 2; j++) {
        const yy = y0 + j;
        if (yy < 0 || yy >= size) continue;
        const wy = j === 0 ? 1 - fy : fy;
        if (wy === 0) continue;
        for (let i = 0; i < 2; i++) {
          const xx = x0 + i;
          if (xx < 0 || xx >= size) continue;
          const wx = i === 0 ? 1 - fx : fx;
          if (wx === 0) continue;
          const p = (yy * size + xx) * 4;
          const a = (rgba[p + 3] as number) / 255;
          r += wx * wy * (((rgba[p] as number) / 255) * a);
          g += wx * wy * (((rgba[p + 1] as number) / 255) * a);
          b += wx * wy * (((rgba[p + 2] as number) / 255) * a);
          al += wx * wy * a;
        }
      }
      const o = (y * size + x) * 4;
      pm[o] = r;
      pm[o + 1] = g;
      pm[o + 2] = b;
      pm[o + 3] = al;
    }
  }
  // Composite over white.
  const rgb = new Float32Array(n * 3);
  for (let p = 0; p < n; p++) {
    const a = pm[p * 4 + 3] as number;
    for (let k = 0; k < 3; k++) rgb[p * 3 + k] = (pm[p * 4 + k] as number) + (1 - a);
  }
  if (d.flatten) flattenColours(rgb, d.flatten);
  if (d.outline > 0) {
    // Edge map: alpha crossing 0.5 between 4-neighbours, or a large colour step.
    const edge = new Uint8Array(n);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const p = y * size + x;
        const a = pm[p * 4 + 3] as number;
        for (const [dx, dy] of RIGHT_AND_DOWN) {
          const qx = x + dx;
          const qy = y + dy;
          if (qx >= size || qy >= size) continue;
          const q = qy * size + qx;
          const b = pm[q * 4 + 3] as number;
          let step = 0;
          for (let k = 0; k < 3; k++)
            step = Math.max(
              step,
              Math.abs((rgb[p * 3 + k] as number) - (rgb[q * 3 + k] as number)),
            );
          if (a >= 0.5 !== b >= 0.5 || step > 0.35) {
            // Mark the more opaque side, so lines sit on the figure rather than the background.
            edge[a >= b ? p : q] = 1;
          }
        }
      }
    }
    const grow = d.outline - 1;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let on = false;
        for (let dy = -grow; dy <= grow && !on; dy++)
          for (let dx = -grow; dx <= grow && !on; dx++) {
            const qx = x + dx;
            const qy = y + dy;
            if (qx >= 0 && qy >= 0 && qx < size && qy < size && edge[qy * size + qx]) on = true;
          }
        if (on) for (let k = 0; k < 3; k++) rgb[(y * size + x) * 3 + k] = 0.08;
      }
    }
  }
  if (d.grey) {
    for (let p = 0; p < n; p++) {
      const y =
        0.299 * (rgb[p * 3] as number) +
        0.587 * (rgb[p * 3 + 1] as number) +
        0.114 * (rgb[p * 3 + 2] as number);
      rgb[p * 3] = y;
      rgb[p * 3 + 1] = y;
      rgb[p * 3 + 2] = y;
    }
  }
  out.set(rgb, offset);
}

/**
 * Reduces packed RGB pixels in place to at most `k` flat colours: a few rounds of k-means started
 * from the colours most unlike those already chosen (deterministic, no randomness needed).
 */
export function flattenColours(rgb: Float32Array, k: number, rounds = 6): void {
  const n = rgb.length / 3;
  const dist2 = (p: number, c: Float32Array, j: number): number => {
    const dr = (rgb[p * 3] as number) - (c[j * 3] as number);
    const dg = (rgb[p * 3 + 1] as number) - (c[j * 3 + 1] as number);
    const db = (rgb[p * 3 + 2] as number) - (c[j * 3 + 2] as number);
    return dr * dr + dg * dg + db * db;
  };
  // Farthest-point start: the first pixel's colour, then each time the pixel farthest from all.
  const cent = new Float32Array(k * 3);
  const near = new Float32Array(n).fill(Number.POSITIVE_INFINITY);
  let used = 0;
  let pick = 0;
  for (; used < k; used++) {
    for (let c = 0; c < 3; c++) cent[used * 3 + c] = rgb[pick * 3 + c] as number;
    let far = -1;
    for (let p = 0; p < n; p++) {
      const d = Math.min(near[p] as number, dist2(p, cent, used));
      near[p] = d;
      if (d > far) {
        far = d;
        pick = p;
      }
    }
    if (far < 1e-6) {
      used++;
      break; // fewer distinct colours than k
    }
  }
  const label = new Uint8Array(n);
  const sum = new Float64Array(used * 3);
  const count = new Float64Array(used);
  for (let r = 0; r < rounds; r++) {
    sum.fill(0);
    count.fill(0);
    for (let p = 0; p < n; p++) {
      let best = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let j = 0; j < used; j++) {
        const d = dist2(p, cent, j);
        if (d < bd) {
          bd = d;
          best = j;
        }
      }
      label[p] = best;
      count[best] = (count[best] as number) + 1;
      for (let c = 0; c < 3; c++)
        sum[best * 3 + c] = (sum[best * 3 + c] as number) + (rgb[p * 3 + c] as number);
    }
    for (let j = 0; j < used; j++)
      if ((count[j] as number) > 0)
        for (let c = 0; c < 3; c++)
          cent[j * 3 + c] = (sum[j * 3 + c] as number) / (count[j] as number);
  }
  for (let p = 0; p < n; p++)
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = cent[(label[p] as number) * 3 + c] as number;
}
