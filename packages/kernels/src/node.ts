// Node-only entry of @seqlab/kernels: worker_threads for the multi-threaded training kernels.
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { type SpawnWorker, trainKernelSupport } from './train/pool';

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

/**
 * Lets this Node process run the relaxed-SIMD (FMA) build of the training kernels: Node 20
 * validates relaxed-SIMD instructions only behind V8's `--experimental-wasm-relaxed-simd`. V8
 * fixes the WebAssembly features of a process at its first compile, so call this before any
 * WebAssembly compiles (the CLI does it first thing); it changes nothing else (no other wasm
 * here uses relaxed instructions). Returns whether the relaxed build validates. Results differ
 * from plain SIMD in the last bits (fused multiply-add rounds once).
 * @example enableRelaxedSimd(); const step = await KernelTrainStep.create(config, params, { spawn: nodeSpawn });
 */
export function enableRelaxedSimd(): boolean {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  return trainKernelSupport().relaxed;
}
