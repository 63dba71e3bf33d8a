// Picks the tfjs backend inside a worker at run time: WebGPU, WebGL on a real GPU, else wasm SIMD.
import { initBackend } from '@seqlab/rnn';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendInfo } from '../lib/protocol';

/** Renderer strings of software rasterisers, where WebGL is slower than wasm. */
const SOFTWARE_GL = /swiftshader|llvmpipe|software|softpipe|mesa offscreen|basic render/i;

/** Returns the WebGL renderer name, or null when WebGL is missing in this worker. */
function webglRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    const name = ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return String(name);
  } catch {
    return null;
  }
}

/** True when a hardware WebGPU adapter exists (fallback adapters are software). */
async function hasHardwareWebGPU(): Promise<boolean> {
  if (typeof navigator === 'undefined') return false;
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return false;
  try {
    const adapter = (await gpu.requestAdapter()) as {
      isFallbackAdapter?: boolean;
      info?: { isFallbackAdapter?: boolean };
    } | null;
    return adapter !== null && !adapter.isFallbackAdapter && !adapter.info?.isFallbackAdapter;
  } catch {
    return false;
  }
}

let chosen: Promise<BackendInfo> | null = null;

/**
 * Chooses and initialises the backend once per worker. `?backend=wasm` style overrides come in
 * as `preferred` so tests and the perf script can pin one.
 *
 * @example
 * const { name } = await initWorkerBackend(); // 'wasm' in headless Chromium
 */
export function initWorkerBackend(preferred?: BackendInfo['name']): Promise<BackendInfo> {
  chosen ??= choose(preferred);
  return chosen;
}

async function choose(preferred?: BackendInfo['name']): Promise<BackendInfo> {
  // Detect here rather than in initBackend: a worker has no document, only OffscreenCanvas.
  let wanted: BackendInfo;
  const renderer = webglRenderer();
  if (preferred) wanted = { name: preferred, reason: 'requested in the page URL' };
  else if (await hasHardwareWebGPU())
    wanted = { name: 'webgpu', reason: 'a hardware WebGPU adapter is present' };
  else if (renderer && !SOFTWARE_GL.test(renderer))
    wanted = { name: 'webgl', reason: `WebGL on a GPU (${renderer})` };
  else {
    wanted = {
      name: 'wasm',
      reason: renderer
        ? `no usable GPU (WebGL renderer is ${renderer}), so wasm SIMD`
        : 'no GPU available, so wasm SIMD',
    };
  }
  // GPU backends are imported only where a GPU is; wasm and rnn are static imports because every
  // path needs them, and each dynamic import would add a round trip before the first result.
  if (wanted.name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (wanted.name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  // Threaded wasm broke under cross-origin isolation in production bundles; SIMD single-thread works.
  setThreadsCount(1);
  setWasmPaths('/wasm/');
  // initBackend also installs seqlab's wasm kernel fixes, and falls back down the list on failure.
  const actual = (await initBackend(wanted.name)) as BackendInfo['name'];
  return actual === wanted.name
    ? wanted
    : { name: actual, reason: `${wanted.name} failed to start, fell back to ${actual}` };
}
