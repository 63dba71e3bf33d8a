// Backend selection: the fastest tfjs backend available at run time, with our wasm kernel fixes installed.
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients nor chained ops: '#register-gradients' does (tfjs-core's own
// modules in bundlers; in Node, where only the union package's CommonJS build can, that package).
import '#register-gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmSegmentSum, setWasmMatMulRoute } from './wasm-backend-patches';

/** Backends initBackend knows how to pick. */
export type BackendName = 'wasm' | 'cpu' | 'webgl' | 'webgpu';

const VALID: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node != null;
}

/** WebGL counts only on real hardware: SwiftShader (headless Chromium) is slower than wasm. */
function hasHardwareWebGL(): boolean {
  const doc = (globalThis as { document?: Document }).document;
  const Offscreen = (globalThis as { OffscreenCanvas?: typeof OffscreenCanvas }).OffscreenCanvas;
  // Web Workers have no document; OffscreenCanvas gives them a WebGL context to ask.
  if (doc == null && Offscreen == null) return false;
  try {
    const canvas =
      doc != null ? doc.createElement('canvas') : new (Offscreen as typeof OffscreenCanvas)(1, 1);
    const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null;
    if (gl == null) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
    );
    return !/swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return false;
  }
}

async function hasWebGPU(): Promise<boolean> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } })
    .navigator?.gpu;
  if (gpu == null) return false;
  try {
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

async function trySet(name: BackendName): Promise<boolean> {
  if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Candidate order for this environment when the caller has no preference. */
async function candidates(): Promise<BackendName[]> {
  if (isNode()) return ['wasm', 'cpu'];
  const order: BackendName[] = [];
  if (await hasWebGPU()) order.push('webgpu');
  if (hasHardwareWebGL()) order.push('webgl');
  order.push('wasm', 'cpu');
  return order;
}

/**
 * Picks and activates the fastest available backend (Node: wasm; browsers: webgpu, then
 * webgl on a real GPU, else wasm; cpu as the last resort) and returns its name.
 * `preferred` is tried first and the rest follow on failure. On wasm it registers
 * UnsortedSegmentSum and the transposed-matmul route. In browsers call wasm's
 * `setWasmPaths` first when the .wasm files are served from elsewhere.
 * @example const name = await initBackend(); // 'wasm' in Node
 */
export async function initBackend(preferred?: BackendName): Promise<string> {
  if (preferred != null && !VALID.includes(preferred)) {
    throw new Error(
      `initBackend: unknown backend '${String(preferred)}', valid: ${VALID.join(', ')}`,
    );
  }
  registerWasmSegmentSum();
  setWasmMatMulRoute(true);
  const order = await candidates();
  const tries = preferred != null ? [preferred, ...order.filter((n) => n !== preferred)] : order;
  for (const name of tries) {
    if (await trySet(name)) return name;
  }
  throw new Error(`initBackend: no backend could start (tried ${tries.join(', ')})`);
}
