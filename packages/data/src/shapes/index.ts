// Shapes world public surface (pure: runs identically in browser and Node).

export { captionObjects, describeObject, relationOf } from './captions';
export {
  generateLayout,
  generateScene,
  generateScenes,
  type SceneOptions,
  sceneRng,
} from './generate';
export { type LayoutOptions, layoutIsUnambiguous, sampleLayout } from './layout';
export { type Rng, sfc32 } from './prng';
export { renderLayout, shapeContains, starPolygon } from './render';
export * from './spec';
