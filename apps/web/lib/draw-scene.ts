// Placing user-drawn shapes on the 64×64 Shapes canvas with the same rules as the generator.
import {
  COLOUR_RGB,
  captionObjects,
  layoutIsUnambiguous,
  MIN_GAP,
  SHAPES_IMAGE_SIZE,
  type ShapeColour,
  type ShapeKind,
  type ShapeObject,
  type ShapeSize,
  SIZE_RANGE,
} from '@seqlab/data';

/** Scenes hold 1–3 objects, like the training data. */
export const MAX_DRAWN_OBJECTS = 3;

export interface Stamp {
  shape: ShapeKind;
  colour: ShapeColour;
  size: ShapeSize;
}

/**
 * A shape centred as near (px, py) as fits in the image, or a sentence saying why it cannot be
 * placed (full scene, or it would touch another shape).
 *
 * @example
 * placeShape([], { shape: 'star', colour: 'red', size: 'large' }, 32, 32); // ShapeObject at the centre
 */
export function placeShape(
  existing: readonly ShapeObject[],
  stamp: Stamp,
  px: number,
  py: number,
): ShapeObject | string {
  if (existing.length >= MAX_DRAWN_OBJECTS) {
    return `A scene holds at most ${MAX_DRAWN_OBJECTS} shapes, like the training data; clear it to start again.`;
  }
  const [lo, hi] = SIZE_RANGE[stamp.size];
  const side = Math.round((lo + hi) / 2);
  const n = SHAPES_IMAGE_SIZE;
  const x = Math.min(n - side, Math.max(0, Math.round(px - side / 2)));
  const y = Math.min(n - side, Math.max(0, Math.round(py - side / 2)));
  const obj: ShapeObject = {
    ...stamp,
    x,
    y,
    side,
    cx: x + side / 2,
    cy: y + side / 2,
    rgb: [...COLOUR_RGB[stamp.colour]] as [number, number, number],
  };
  const hit = existing.find((o) => boxesTouch(o, obj));
  if (hit) return `That spot is too close to the ${hit.colour} ${hit.shape}; place it elsewhere.`;
  return obj;
}

function boxesTouch(a: ShapeObject, b: ShapeObject): boolean {
  const gapX = Math.max(a.x - (b.x + b.side), b.x - (a.x + a.side));
  const gapY = Math.max(a.y - (b.y + b.side), b.y - (a.y + a.side));
  return gapX < MIN_GAP && gapY < MIN_GAP;
}

/** Reference captions for a drawn scene, and whether its relation words are clear-cut. */
export function drawnTruth(objects: readonly ShapeObject[]): {
  captions: string[];
  ambiguous: boolean;
} {
  if (objects.length === 0) return { captions: [], ambiguous: false };
  return { captions: captionObjects(objects), ambiguous: !layoutIsUnambiguous(objects) };
}
