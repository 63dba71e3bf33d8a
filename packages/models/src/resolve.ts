// What load()'s first argument names: a model name (resolved against env.modelHost), a URL, or (Node) a folder.
import type { ModelName } from './types';

/** The pretrained models shipped in models/, by task. */
export const MODEL_NAMES: Readonly<Record<ModelName, 'translate' | 'caption'>> = {
  'translate-en-es': 'translate',
  'translate-en-fr': 'translate',
  'translate-en-de': 'translate',
  'caption-shapes': 'caption',
  'caption-emoji': 'caption',
};

export function isModelName(x: string): x is ModelName {
  return Object.hasOwn(MODEL_NAMES, x);
}

/**
 * A bare model name: one path segment of letters, digits, '.', '_' or '-' ('translate-en-es',
 * 'my-model'), which `load` looks up under the model host. Anything with a '/' or a scheme is a
 * URL or a folder.
 * @example isBareName('my-model') // true; isBareName('./my-model') // false
 */
export function isBareName(x: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(x) && !x.endsWith('.json');
}

/** True for a string with a URL scheme such as 'https:' or 'file:' (not a Windows drive letter). */
export function hasScheme(x: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(x);
}

/**
 * The check every `load` makes first: a model name, URL or directory must be a non-empty string
 * (an empty one would resolve to the current directory or the site root). `where` names the
 * other valid kinds of value ("a URL", "a directory or an http(s) URL").
 * @example checkModelName('', 'a URL') // throws: load: the model name is empty; expected one of …
 */
export function checkModelName(nameOrUrl: unknown, where: string): asserts nameOrUrl is string {
  const valid = `expected one of ${Object.keys(MODEL_NAMES).join(', ')}, or ${where}`;
  if (typeof nameOrUrl !== 'string')
    throw new Error(`load: expected a model name as a string, got ${typeof nameOrUrl}; ${valid}`);
  if (nameOrUrl.trim() === '')
    throw new Error(
      `load: the model name is empty${nameOrUrl === '' ? '' : ` (only whitespace: ${JSON.stringify(nameOrUrl)})`}; ${valid}`,
    );
}

/** A model folder's URL or path without a trailing '/model.json' or slashes ('…/m/' and '…/m/model.json' are '…/m'). */
export function trimModelPath(x: string): string {
  const t = x.replace(/\/model\.json$/, '').replace(/\/+$/, '');
  return t === '' ? x : t;
}

/**
 * The folder a name or URL stands for: a bare name under `host`, anything else as given (minus
 * '/model.json' and trailing slashes).
 * @example modelFolder('translate-en-es', 'https://h.org/m/') // 'https://h.org/m/translate-en-es'
 * @example modelFolder('https://h.org/m/x/model.json', '/models') // 'https://h.org/m/x'
 */
export function modelFolder(nameOrUrl: string, host: string): string {
  return isBareName(nameOrUrl)
    ? `${host.replace(/\/+$/, '')}/${nameOrUrl}`
    : trimModelPath(nameOrUrl);
}
