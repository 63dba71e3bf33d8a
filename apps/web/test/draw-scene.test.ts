import { SHAPES_IMAGE_SIZE, type ShapeObject } from '@seqlab/data';
import { describe, expect, it } from 'vitest';
import { drawnTruth, MAX_DRAWN_OBJECTS, placeShape } from '../lib/draw-scene';

const place = (objs: ShapeObject[], x: number, y: number, size: 'small' | 'large' = 'small') =>
  placeShape(objs, { shape: 'circle', colour: 'red', size }, x, y);

describe('placeShape', () => {
  it('centres the shape on the click and keeps it inside the image', () => {
    const o = place([], 32, 32) as ShapeObject;
    expect(o.cx).toBeCloseTo(32, 0);
    const corner = place([], 0, 100, 'large') as ShapeObject;
    expect(corner.x).toBe(0);
    expect(corner.y + corner.side).toBe(SHAPES_IMAGE_SIZE);
  });

  it('refuses overlapping shapes and a fourth shape, saying why', () => {
    const a = place([], 16, 16) as ShapeObject;
    expect(place([a], 18, 18)).toMatch(/too close to the red circle/);
    const objs = [a, place([a], 48, 16) as ShapeObject];
    objs.push(place(objs, 32, 48) as ShapeObject);
    expect(objs).toHaveLength(MAX_DRAWN_OBJECTS);
    expect(place(objs, 50, 50)).toMatch(/at most 3 shapes/);
  });

  it('captions drawn scenes the way the generator does', () => {
    const a = placeShape(
      [],
      { shape: 'star', colour: 'blue', size: 'small' },
      12,
      32,
    ) as ShapeObject;
    const b = placeShape(
      [a],
      { shape: 'square', colour: 'pink', size: 'large' },
      48,
      32,
    ) as ShapeObject;
    expect(drawnTruth([a, b]).captions).toEqual([
      'a small blue star left of a large pink square',
      'a large pink square right of a small blue star',
    ]);
    expect(drawnTruth([]).captions).toEqual([]);
  });
});
