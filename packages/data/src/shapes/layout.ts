// Samples a Shapes scene layout (objects, sizes, colours, positions) under the spec's constraints.
import type { Rng } from './prng';
import {
  AMBIGUITY_PX,
  BACKGROUND_RANGE,
  COLOUR_JITTER,
  COLOUR_RGB,
  HELD_OUT,
  isHeldOut,
  MIN_GAP,
  SHAPE_COLOURS,
  SHAPE_KINDS,
  SHAPE_SIZES,
  SHAPES_IMAGE_SIZE,
  type ShapeColour,
  type ShapeKind,
  type ShapeObject,
  type ShapeSize,
  type ShapesLayout,
  type ShapesSplit,
  SIZE_RANGE,
} from './spec';

/** Every colour×shape pair that may appear outside the novel split. */
const SEEN_COMBOS: readonly (readonly [ShapeColour, ShapeKind])[] = SHAPE_COLOURS.flatMap((c) =>
  SHAPE_KINDS.filter((s) => !isHeldOut(c, s)).map((s) => [c, s] as const),
);
const ALL_COMBOS: readonly (readonly [ShapeColour, ShapeKind])[] = SHAPE_COLOURS.flatMap((c) =>
  SHAPE_KINDS.map((s) => [c, s] as const),
);

export interface LayoutOptions {
  /** Force the object count (default: uniform over 1, 2, 3). */
  numObjects?: 1 | 2 | 3;
  /** Restrict size words (e.g. ['large'] for an easy pretext task); default both. */
  sizes?: readonly ShapeSize[];
}

function boxesApart(a: ShapeObject, b: ShapeObject): boolean {
  return (
    a.x + a.side + MIN_GAP <= b.x ||
    b.x + b.side + MIN_GAP <= a.x ||
    a.y + a.side + MIN_GAP <= b.y ||
    b.y + b.side + MIN_GAP <= a.y
  );
}

/** True when the caption for these objects would be unambiguous under the spec. */
export function layoutIsUnambiguous(objects: readonly ShapeObject[]): boolean {
  if (objects.length === 2) {
    const [a, b] = objects as [ShapeObject, ShapeObject];
    return Math.abs(Math.abs(a.cx - b.cx) - Math.abs(a.cy - b.cy)) > AMBIGUITY_PX;
  }
  for (let i = 0; i < objects.length; i++) {
    for (let j = i + 1; j < objects.length; j++) {
      if (Math.abs((objects[i] as ShapeObject).cx - (objects[j] as ShapeObject).cx) <= AMBIGUITY_PX)
        return false;
    }
  }
  return true;
}

function jitter(rng: Rng, base: number): number {
  return Math.min(255, Math.max(0, base + rng.int(-COLOUR_JITTER, COLOUR_JITTER)));
}

function sampleObject(
  rng: Rng,
  combo: readonly [ShapeColour, ShapeKind],
  sizes: readonly ShapeSize[],
): ShapeObject {
  const [colour, shape] = combo;
  const size = rng.pick(sizes);
  const [lo, hi] = SIZE_RANGE[size];
  const side = rng.int(lo, hi);
  const x = rng.int(0, SHAPES_IMAGE_SIZE - side);
  const y = rng.int(0, SHAPES_IMAGE_SIZE - side);
  const base = COLOUR_RGB[colour];
  const rgb: [number, number, number] = [
    jitter(rng, base[0]),
    jitter(rng, base[1]),
    jitter(rng, base[2]),
  ];
  return { shape, colour, size, x, y, side, cx: x + side / 2, cy: y + side / 2, rgb };
}

/**
 * Draws one valid layout for a split from `rng` (rejection sampling; typically a few tries).
 * train/valid/test never contain a held-out combination; novel always contains at least one.
 *
 * @example
 * const layout = sampleLayout(sfc32(1), 'train');
 */
export function sampleLayout(
  rng: Rng,
  split: ShapesSplit,
  options: LayoutOptions = {},
): ShapesLayout {
  const lo = BACKGROUND_RANGE[0];
  const hi = BACKGROUND_RANGE[1];
  const background: [number, number, number] = [rng.int(lo, hi), rng.int(lo, hi), rng.int(lo, hi)];
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const n = options.numObjects ?? rng.int(1, 3);
    const heldOutSlot = split === 'novel' ? rng.int(0, n - 1) : -1;
    const objects: ShapeObject[] = [];
    let ok = true;
    for (let i = 0; i < n && ok; i++) {
      const combos = split === 'novel' ? (i === heldOutSlot ? HELD_OUT : ALL_COMBOS) : SEEN_COMBOS;
      const obj = sampleObject(rng, rng.pick(combos), options.sizes ?? SHAPE_SIZES);
      ok = objects.every((o) => boxesApart(o, obj));
      objects.push(obj);
    }
    if (ok && layoutIsUnambiguous(objects)) return { background, objects };
  }
  throw new Error(`sampleLayout could not place objects for split '${split}' after 10000 attempts`);
}
