// Canonical captions for Shapes scenes: one object, a spatial relation, or a left-to-right list.
import type { ShapeObject, ShapeRelation } from './spec';

/** `a {size} {colour} {shape}` for one object. */
export function describeObject(o: ShapeObject): string {
  return `a ${o.size} ${o.colour} ${o.shape}`;
}

/** Relation of `a` to `b` by the dominant axis between centres (image y grows downward). */
export function relationOf(a: ShapeObject, b: ShapeObject): ShapeRelation {
  const dx = b.cx - a.cx;
  const dy = b.cy - a.cy;
  if (Math.abs(dx) > Math.abs(dy)) return dx > 0 ? 'left of' : 'right of';
  return dy > 0 ? 'above' : 'below';
}

/**
 * All reference captions for a scene: 1 for one or three objects, 2 (both orders) for two.
 *
 * @example
 * captionObjects(scene.objects) // ['a small red circle left of a large blue square', ...]
 */
export function captionObjects(objects: readonly ShapeObject[]): string[] {
  if (objects.length === 1) return [describeObject(objects[0] as ShapeObject)];
  if (objects.length === 2) {
    const [a, b] = objects as [ShapeObject, ShapeObject];
    return [
      `${describeObject(a)} ${relationOf(a, b)} ${describeObject(b)}`,
      `${describeObject(b)} ${relationOf(b, a)} ${describeObject(a)}`,
    ];
  }
  if (objects.length === 3) {
    const [p, q, r] = [...objects].sort((u, v) => u.cx - v.cx) as [
      ShapeObject,
      ShapeObject,
      ShapeObject,
    ];
    return [`${describeObject(p)}, ${describeObject(q)} and ${describeObject(r)}`];
  }
  throw new Error(`captionObjects expected 1, 2 or 3 objects, got ${objects.length}`);
}
