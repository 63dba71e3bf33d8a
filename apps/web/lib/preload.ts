// Early downloads for a demo page: the worker's wasm binary and model.json start with the HTML,
// not after the worker's own scripts, and the worker then finds them in the HTTP cache.
import { preload } from 'react-dom';

/** Call from a page (server component) with the model the page opens with. */
export function preloadModelAssets(model: string): void {
  preload('/wasm/tfjs-backend-wasm-simd.wasm', { as: 'fetch', crossOrigin: 'anonymous' });
  preload(`/models/${model}/model.json`, { as: 'fetch', crossOrigin: 'anonymous' });
}
