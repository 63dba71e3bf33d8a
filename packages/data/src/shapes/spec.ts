// Shapes world constants and types: the scene spec (sizes, colours, held-out combinations) as data.

export const SHAPES_IMAGE_SIZE = 64;
export const SHAPE_KINDS = ['circle', 'square', 'triangle', 'star'] as const;
export const SHAPE_SIZES = ['small', 'large'] as const;
export const SHAPE_COLOURS = [
  'red',
  'orange',
  'yellow',
  'green',
  'blue',
  'purple',
  'pink',
  'gray',
] as const;
export const SHAPE_RELATIONS = ['left of', 'right of', 'above', 'below'] as const;
export const SHAPES_SPLITS = ['train', 'valid', 'test', 'novel'] as const;

export type ShapeKind = (typeof SHAPE_KINDS)[number];
export type ShapeSize = (typeof SHAPE_SIZES)[number];
export type ShapeColour = (typeof SHAPE_COLOURS)[number];
export type ShapeRelation = (typeof SHAPE_RELATIONS)[number];
export type ShapesSplit = (typeof SHAPES_SPLITS)[number];

/** Base RGB per colour; each channel is jittered by ±COLOUR_JITTER per object. */
export const COLOUR_RGB: Readonly<Record<ShapeColour, readonly [number, number, number]>> = {
  red: [215, 40, 40],
  orange: [240, 135, 20],
  yellow: [230, 200, 20],
  green: [40, 160, 60],
  blue: [40, 80, 215],
  purple: [130, 50, 180],
  pink: [235, 110, 175],
  gray: [120, 120, 120],
};
export const COLOUR_JITTER = 12;
/** Background channels are drawn independently from this inclusive range. */
export const BACKGROUND_RANGE = [225, 255] as const;
/** Bounding-box side (px, inclusive) per size word. */
export const SIZE_RANGE: Readonly<Record<ShapeSize, readonly [number, number]>> = {
  small: [10, 14],
  large: [20, 26],
};
/** Minimum empty pixels between any two bounding boxes. */
export const MIN_GAP = 2;
/** Scenes whose relation or left-to-right order would hinge on ≤ this many px are skipped. */
export const AMBIGUITY_PX = 4;

/** Colour+shape pairs that appear only in the `novel` split (compositional generalisation). */
export const HELD_OUT: readonly (readonly [ShapeColour, ShapeKind])[] = [
  ['red', 'star'],
  ['blue', 'triangle'],
  ['yellow', 'square'],
  ['green', 'circle'],
];

export function isHeldOut(colour: ShapeColour, shape: ShapeKind): boolean {
  return HELD_OUT.some(([c, s]) => c === colour && s === shape);
}

/** One drawn object. Box is [x, x+side) × [y, y+side) in pixels; (cx, cy) is its centre. */
export interface ShapeObject {
  shape: ShapeKind;
  colour: ShapeColour;
  size: ShapeSize;
  x: number;
  y: number;
  side: number;
  cx: number;
  cy: number;
  /** The jittered fill colour actually drawn. */
  rgb: [number, number, number];
}

/** Scene geometry before rasterisation. */
export interface ShapesLayout {
  background: [number, number, number];
  objects: ShapeObject[];
}

/** A rendered scene: RGBA pixels plus its objects and reference captions. */
export interface ShapesScene extends ShapesLayout {
  width: number;
  height: number;
  /** RGBA, row-major, width*height*4 bytes, alpha always 255. */
  data: Uint8ClampedArray;
  /** All reference captions (2 for two-object scenes, else 1). */
  captions: string[];
  split: ShapesSplit;
  seed: number;
  index: number;
}
