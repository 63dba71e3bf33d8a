// Loading settings shared by every load() (as Transformers.js's `env`): where names resolve, browser caching, fetch.

/** The settings `env` holds; every assignment is checked (see {@link env}). */
export interface ModelsEnv {
  /**
   * Where model names resolve: `load('translate-en-es')` reads
   * `${modelHost}/translate-en-es/model.json`. An http(s) URL ('https://example.org/seqlab-models'),
   * a path on the page's origin ('/models', the browser default), or — with
   * '@seqlab/models/node' — a folder or file:// URL (Node default: the repository's models/
   * folder when it exists). `LoadOptions.baseUrl` overrides it for one call.
   */
  modelHost: string;
  /**
   * Keep model files in the browser's Cache API (default true): a second load of the same model
   * downloads only model.json (revalidated), never the weights. Ignored where `caches` is absent
   * (Node, pages not served over https or localhost).
   */
  useBrowserCache: boolean;
  /** Name of the Cache API cache that holds model files (default 'seqlab-models-v1'). */
  cacheName: string;
  /**
   * The fetch every download goes through (default: the global fetch at call time). Set it to add
   * headers (auth tokens), retries or a proxy. model.json is requested with
   * `{ cache: 'no-cache' }` (always revalidated), the other files with no options.
   */
  fetch: typeof fetch;
}

/** The fetch used when none is set: the global one, looked up at each call (so it can be replaced). */
const globalFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** '/models' in browsers; '@seqlab/models/node' replaces it with its folder (setDefaultModelHost). */
let platformHost = '/models';

function defaults(): ModelsEnv {
  return {
    modelHost: platformHost,
    useBrowserCache: true,
    cacheName: 'seqlab-models-v1',
    fetch: globalFetch,
  };
}

const KEYS = Object.keys(defaults()) as (keyof ModelsEnv)[];

/** `got …` part of an error: the type and, for short primitives, the value. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'string') return `string ${JSON.stringify(v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return Array.isArray(v) ? 'an array' : typeof v;
}

/**
 * Throws unless `v` is a valid value for `key`, naming what was expected and what arrived.
 * @example checkSetting('useBrowserCache', 'no') // throws: env.useBrowserCache: expected true or false, got string "no"
 */
export function checkSetting(key: string, v: unknown, where = `env.${key}`): void {
  const fail = (expected: string) => {
    throw new Error(`${where}: expected ${expected}, got ${describeValue(v)}`);
  };
  switch (key) {
    case 'modelHost':
      if (typeof v !== 'string' || v.trim() === '')
        fail(
          "a non-empty string: an http(s) URL like 'https://example.org/seqlab-models', a path on the page's origin like '/models', or (Node) a folder or file:// URL",
        );
      return;
    case 'useBrowserCache':
      if (typeof v !== 'boolean') fail('true or false');
      return;
    case 'cacheName':
      if (typeof v !== 'string' || v.trim() === '')
        fail("a non-empty string naming a Cache API cache, like 'seqlab-models-v1'");
      return;
    case 'fetch':
      if (typeof v !== 'function') fail('a function with the signature of fetch(input, init)');
      return;
    default:
      throw new Error(`env: unknown setting '${key}'; valid settings: ${KEYS.join(', ')}`);
  }
}

const state: ModelsEnv = defaults();
/** Settings assigned by the user: a platform default never overrides them. */
const assigned = new Set<keyof ModelsEnv>();

/**
 * Loading settings for every `load()` of '@seqlab/models' and '@seqlab/models/node' (one shared
 * object). Assignments are validated at once: a wrong type, an empty string or a misspelt key
 * throws an Error that says what was expected and what arrived.
 *
 * @example
 * import { env, load } from '@seqlab/models';
 * env.modelHost = 'https://example.org/seqlab-models'; // load('translate-en-es') reads from there
 * env.useBrowserCache = false;                          // always download
 * env.fetch = (url, init) => fetch(url, { ...init, headers: { authorization: 'Bearer …' } });
 */
export const env: ModelsEnv = new Proxy(state, {
  set(target, key, value) {
    checkSetting(String(key), value);
    const k = key as keyof ModelsEnv;
    (target as unknown as Record<string, unknown>)[k] = value;
    assigned.add(k);
    return true;
  },
  deleteProperty(_target, key) {
    throw new Error(
      `env: settings cannot be deleted ('${String(key)}'); assign a value instead (valid settings: ${KEYS.join(', ')})`,
    );
  },
  defineProperty(_target, key) {
    throw new Error(
      `env: use plain assignment (env.${String(key)} = …); valid settings: ${KEYS.join(', ')}`,
    );
  },
});

/** Where model names resolve when the user set nothing; '@seqlab/models/node' sets its folder here. */
export function setDefaultModelHost(host: string): void {
  checkSetting('modelHost', host);
  platformHost = host;
  if (!assigned.has('modelHost')) state.modelHost = host;
}

/** True when the user assigned `env.modelHost` (rather than a platform default being in effect). */
export function modelHostAssigned(): boolean {
  return assigned.has('modelHost');
}

/**
 * Restores every setting to its default ('/models' or, once '@seqlab/models/node' is loaded, its
 * models folder; the Cache API on; the global fetch).
 * @example env.useBrowserCache = false; resetEnv(); // env.useBrowserCache === true again
 */
export function resetEnv(): void {
  Object.assign(state, defaults());
  assigned.clear();
}
