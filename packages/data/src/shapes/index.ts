// Shapes world public surface (pure: runs identically in browser and Node).
export * from './spec';
export { sfc32, fnv1a32, type Rng } from './prng';
export { sampleLayout, layoutIsUnambiguous, type LayoutOptions } from './layout';
export { renderLayout, shapeContains, starPolygon } from './render';
export { captionObjects, describeObject, relationOf } from './captions';
export { generateScene, generateScenes, generateLayout, sceneRng, type SceneOptions } from './generate';
