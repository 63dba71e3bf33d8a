// Node-only entry of @seqlab/kernels: worker_threads for the multi-threaded training kernels.
import { Worker } from 'node:worker_threads';
import type { SpawnWorker } from './train/pool';

export * from './index';

/**
 * Starts a kernel worker on a worker_threads thread (pass as `spawn` to KernelPool.create or
 * KernelTrainStep.create).
 *
 * @example
 * const step = await KernelTrainStep.create(config, params, { threads: 2, spawn: nodeSpawn });
 */
export const nodeSpawn: SpawnWorker = (source) => {
  const w = new Worker(source, { eval: true });
  w.unref(); // an idle pool never keeps the process alive
  return {
    postMessage: (m) => w.postMessage(m),
    onMessage: (cb) => w.on('message', cb),
    terminate: () => void w.terminate(),
  };
};
