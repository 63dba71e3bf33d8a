// Shapes scene generator: (seed, split, index) → deterministic rendered scene with captions.
import { captionObjects } from './captions';
import { type LayoutOptions, sampleLayout } from './layout';
import { type Rng, sfc32 } from './prng';
import { renderLayout } from './render';
import {
  SHAPES_IMAGE_SIZE,
  SHAPES_SPLITS,
  type ShapesLayout,
  type ShapesScene,
  type ShapesSplit,
} from './spec';

/** Per-split stream tag: the split is one word of the PRNG state, so splits never share a stream. */
const SPLIT_TAG: Readonly<Record<ShapesSplit, number>> = {
  train: 0x7a1b0001,
  valid: 0x7a1b0002,
  test: 0x7a1b0003,
  novel: 0x7a1b0004,
};

export interface SceneOptions extends LayoutOptions {
  /** Dataset seed (uint32). */
  seed: number;
  split: ShapesSplit;
  /** Scene number within the split's stream. */
  index: number;
}

function checkOptions(o: SceneOptions): void {
  if (!SHAPES_SPLITS.includes(o.split)) {
    throw new Error(
      `Shapes split must be one of ${SHAPES_SPLITS.join(', ')}; got '${String(o.split)}'`,
    );
  }
  for (const k of ['seed', 'index'] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
      throw new Error(`Shapes ${k} must be an integer in [0, 2^32); got ${v}`);
    }
  }
}

/** The PRNG for one scene; exposed so layout-only checks can replay the exact stream. */
export function sceneRng(o: SceneOptions): Rng {
  checkOptions(o);
  return sfc32(o.seed, SPLIT_TAG[o.split], o.index, 0x5eed);
}

/** Layout and captions only (no pixels): cheap, for statistics over many scenes. */
export function generateLayout(o: SceneOptions): ShapesLayout & { captions: string[] } {
  const layout = sampleLayout(sceneRng(o), o.split, o);
  return { ...layout, captions: captionObjects(layout.objects) };
}

/**
 * Generates one scene. Same options → same bytes, in Node and in the browser.
 *
 * @example
 * const s = generateScene({ seed: 1, split: 'train', index: 0 });
 * s.captions[0]; // e.g. 'a large purple star'
 */
export function generateScene(o: SceneOptions): ShapesScene {
  const layout = generateLayout(o);
  return {
    width: SHAPES_IMAGE_SIZE,
    height: SHAPES_IMAGE_SIZE,
    data: renderLayout(layout),
    background: layout.background,
    objects: layout.objects,
    captions: layout.captions,
    split: o.split,
    seed: o.seed,
    index: o.index,
  };
}

/** Scenes `start … start+count-1` of a split. */
export function generateScenes(
  count: number,
  o: Omit<SceneOptions, 'index'> & { start?: number },
): ShapesScene[] {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`generateScenes count must be a non-negative integer; got ${count}`);
  const start = o.start ?? 0;
  return Array.from({ length: count }, (_, i) => generateScene({ ...o, index: start + i }));
}
