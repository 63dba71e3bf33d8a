// Rasterises a Shapes layout to RGBA with 4×4 supersampling, using only + − × and integer blending so every JS engine gives identical bytes.
import { SHAPES_IMAGE_SIZE, type ShapeObject, type ShapesLayout } from './spec';

/** Subsamples per pixel axis (4×4 = 16 coverage levels). */
const SS = 4;

/**
 * Unit five-point star (outer radius 1, first point straight up, y grows downward),
 * as literals rather than Math.cos/sin so no engine's trig rounding can move a pixel.
 * Inner radius is the regular pentagram's cos72°/cos36° ≈ 0.382.
 */
const UNIT_STAR: readonly (readonly [number, number])[] = [
  [0, -1],
  [0.2245139882897927, -0.30901699437494745],
  [0.9510565162951535, -0.3090169943749474],
  [0.36327126400268045, 0.11803398874989483],
  [0.5877852522924731, 0.8090169943749475],
  [0, 0.38196601125010515],
  [-0.587785252292473, 0.8090169943749475],
  [-0.36327126400268045, 0.11803398874989487],
  [-0.9510565162951536, -0.3090169943749473],
  [-0.22451398828979274, -0.3090169943749474],
];
/** Star width / outer radius (2·sin72°) and height / outer radius (1 + cos36°). */
const STAR_WIDTH = 1.902113032590307;
const STAR_HEIGHT = 1.8090169943749475;

/** Star polygon in pixels: width fills the box, height (0.951·side) is centred vertically in it. */
export function starPolygon(o: ShapeObject): [number, number][] {
  const r = o.side / STAR_WIDTH;
  const centreY = o.y + (o.side - STAR_HEIGHT * r) / 2 + r;
  return UNIT_STAR.map(([ux, uy]) => [o.cx + ux * r, centreY + uy * r]);
}

function insidePolygon(
  poly: readonly (readonly [number, number])[],
  px: number,
  py: number,
): boolean {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i] as readonly [number, number];
    const [xj, yj] = poly[j] as readonly [number, number];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Returns a point-in-shape test in pixel coordinates for one object. */
export function shapeContains(o: ShapeObject): (px: number, py: number) => boolean {
  switch (o.shape) {
    case 'square':
      return (px, py) => px >= o.x && px <= o.x + o.side && py >= o.y && py <= o.y + o.side;
    case 'circle': {
      const r2 = (o.side / 2) * (o.side / 2);
      return (px, py) => (px - o.cx) * (px - o.cx) + (py - o.cy) * (py - o.cy) <= r2;
    }
    case 'triangle':
      // Apex at (cx, y), base on y+side: half-width at depth d below the apex is d/2.
      return (px, py) => py <= o.y + o.side && 2 * Math.abs(px - o.cx) <= py - o.y;
    case 'star': {
      const poly = starPolygon(o);
      return (px, py) => insidePolygon(poly, px, py);
    }
  }
}

/**
 * Renders a layout to a fresh 64×64 RGBA buffer.
 *
 * @example
 * const rgba = renderLayout(sampleLayout(sfc32(7), 'train'));
 */
export function renderLayout(layout: ShapesLayout): Uint8ClampedArray {
  const n = SHAPES_IMAGE_SIZE;
  const data = new Uint8ClampedArray(n * n * 4);
  const [br, bg, bb] = layout.background;
  for (let i = 0; i < n * n; i++) {
    data[i * 4] = br;
    data[i * 4 + 1] = bg;
    data[i * 4 + 2] = bb;
    data[i * 4 + 3] = 255;
  }
  const full = SS * SS;
  for (const o of layout.objects) {
    const contains = shapeContains(o);
    const [r, g, b] = o.rgb;
    // Shapes lie inside their box, so only box pixels can have coverage.
    for (let py = o.y; py < o.y + o.side; py++) {
      for (let px = o.x; px < o.x + o.side; px++) {
        let hits = 0;
        for (let sy = 0; sy < SS; sy++) {
          for (let sx = 0; sx < SS; sx++) {
            if (contains(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)) hits++;
          }
        }
        if (hits === 0) continue;
        const k = (py * n + px) * 4;
        const keep = full - hits;
        // Integer blend with rounding: exact and identical on every engine.
        data[k] = ((data[k] as number) * keep + r * hits + full / 2) >> 4;
        data[k + 1] = ((data[k + 1] as number) * keep + g * hits + full / 2) >> 4;
        data[k + 2] = ((data[k + 2] as number) * keep + b * hits + full / 2) >> 4;
      }
    }
  }
  return data;
}
