// What a model worker starts on its own, read from its URL's fragment (lib/boot.ts writes it).
import { type BackendInfo, isBackendName } from '../lib/protocol';

/** A model to load at once, and the backend (and decoding) the page URL pinned if any. */
export interface Preload {
  model: string;
  backend?: BackendInfo['name'];
  /**
   * 'tensor': decode with tensor ops at every step and the float32 output layer, not the host
   * SIMD kernels (`?decode=tensor` in the page URL; the perf script's baseline).
   */
  decode?: 'tensor';
}

/**
 * Reads a preload from a worker URL's fragment, `#preload=translate-en-es&backend=wasm` (and
 * `&decode=tensor`); null when there is none or it is malformed (then nothing is preloaded).
 *
 * @example
 * parsePreload('#preload=caption-shapes'); // { model: 'caption-shapes' }
 */
export function parsePreload(hash: string): Preload | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const model = q.get('preload');
  if (!model || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(model)) return null;
  const backend = q.get('backend');
  return {
    model,
    ...(isBackendName(backend) ? { backend } : {}),
    ...(q.get('decode') === 'tensor' ? { decode: 'tensor' as const } : {}),
  };
}
