// The single place the app gets models from: @seqlab/models' load(), imported only inside workers.
import { load } from '@seqlab/models';
import type { Captioner, LoadOptions, Translator } from '../lib/model-types';

export type LoadFn = (nameOrUrl: string, opts?: LoadOptions) => Promise<Translator | Captioner>;

/**
 * Loads a pretrained model by name ('translate-en-es', 'caption-shapes', …) or URL.
 *
 * @example
 * const t = await loadModel('translate-en-es', { baseUrl: '/models' });
 */
export const loadModel: LoadFn = load;
