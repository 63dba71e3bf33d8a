// The single place the app gets models from: @seqlab/models' load(), once that package exports it.
import * as models from '@seqlab/models';
import type { Captioner, LoadOptions, Translator } from '../lib/model-types';

export type LoadFn = (nameOrUrl: string, opts?: LoadOptions) => Promise<Translator | Captioner>;

/**
 * Loads a pretrained model by name ('translate-en-es', 'caption-shapes', …) or URL.
 * Looked up on the namespace so the app builds before @seqlab/models exports load(); once it
 * does, this may become `export { load as loadModel } from '@seqlab/models';`.
 *
 * @example
 * const t = await loadModel('translate-en-es', { baseUrl: '/models' });
 */
export const loadModel: LoadFn = async (nameOrUrl, opts) => {
  const load = (models as unknown as { load?: LoadFn }).load;
  if (typeof load !== 'function') {
    throw new Error(
      `Cannot load '${nameOrUrl}': this build's @seqlab/models has no load() yet (the models are still being trained).`,
    );
  }
  return load(nameOrUrl, opts);
};
