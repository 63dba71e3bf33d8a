// Web Workers for the multi-threaded training kernels (pages that are cross-origin isolated).
import type { SpawnWorker } from './train/pool';

/**
 * Starts a kernel worker as a Web Worker from a blob URL (needs `crossOriginIsolated` for the
 * shared memory; check `trainKernelSupport().shared`).
 *
 * @example
 * const pool = await KernelPool.create({ threads: navigator.hardwareConcurrency, spawn: webSpawn });
 */
export const webSpawn: SpawnWorker = (source) => {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    postMessage: (m) => w.postMessage(m),
    onMessage: (cb) => {
      w.onmessage = (e) => cb(e.data);
    },
    terminate: () => w.terminate(),
  };
};
