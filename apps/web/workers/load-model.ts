// The single place the app gets models from: @seqlab/models, imported only inside workers.
import { loadFromSource, modelSource } from '@seqlab/models';
import type { Captioner, LoadOptions, Translator } from '../lib/model-types';

export type LoadFn = (nameOrUrl: string, opts?: LoadOptions) => Promise<Translator | Captioner>;

/**
 * Loads a pretrained model by name ('translate-en-es', 'caption-shapes', …) or URL. Its files
 * start downloading at once; the model is built only after `ready` (the backend) resolves, so
 * the downloads overlap backend start-up instead of following it.
 *
 * @example
 * const t = await loadModel('translate-en-es', { baseUrl: '/models' }, initWorkerBackend());
 */
export function loadModel(
  nameOrUrl: string,
  opts: LoadOptions = {},
  ready: Promise<unknown> = Promise.resolve(),
): Promise<Translator | Captioner> {
  let src: ReturnType<typeof modelSource>;
  try {
    src = modelSource(nameOrUrl, opts.baseUrl ?? '/models');
  } catch (e) {
    return Promise.reject(e);
  }
  // A failed prefetch is reported by loadFromSource's own read of the same file.
  src.prefetchModel().catch(() => {});
  return ready.then(() => loadFromSource(src, opts));
}
