// What a model worker starts on its own, read from its URL's fragment (lib/boot.ts writes it).
import { type BackendInfo, isBackendName } from '../lib/protocol';

/** A model to load at once, and the backend the page URL pinned if any. */
export interface Preload {
  model: string;
  backend?: BackendInfo['name'];
}

/**
 * Reads a preload from a worker URL's fragment, `#preload=translate-en-es&backend=wasm`; null
 * when there is none or it is malformed (then nothing is preloaded).
 *
 * @example
 * parsePreload('#preload=caption-shapes'); // { model: 'caption-shapes' }
 */
export function parsePreload(hash: string): Preload | null {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  const model = q.get('preload');
  if (!model || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(model)) return null;
  const backend = q.get('backend');
  return isBackendName(backend) ? { model, backend } : { model };
}
