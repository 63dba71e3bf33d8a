// Browser caching of model files in the Cache API: model.json network-first, every other file
// cache-first under a key that carries model.json's SHA-256, so a republished model is never stale.
import { env } from './env';
import { filesNamedBy } from './prefetch';
import { checkModelName, modelFolder } from './resolve';
import { FetchFailed, httpSource, join, type ModelSource, revalidateModelJson } from './source';

/** Query parameter of cache keys naming the model.json version a file belongs to. */
const VERSION_PARAM = 'seqlab-model';
/** Header of cached entries holding the SHA-256 of their bytes (checked on every cache hit). */
const DIGEST_HEADER = 'x-seqlab-sha256';

/** The Cache API of this context, or null (Node, insecure pages, some private modes). */
function cacheStorage(): CacheStorage | null {
  return typeof caches === 'undefined' || typeof crypto?.subtle?.digest !== 'function'
    ? null
    : caches;
}

/** Whether loads here use the Cache API: `env.useBrowserCache` and a context that has one. */
export function browserCacheAvailable(): boolean {
  return env.useBrowserCache && cacheStorage() !== null;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The cache key of `url` in version `version` (a key, never requested from a server). */
function versionedKey(url: string, version: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${VERSION_PARAM}=${version}`;
}

/** An absolute URL for `url` (cache keys are stored absolute), or null where it cannot be made. */
function absolute(url: string): string | null {
  try {
    return new URL(url, globalThis.location?.href).href;
  } catch {
    return null;
  }
}

/** The bytes of a cached entry if present and intact (its digest matches), else null. */
async function readEntry(cache: Cache, key: string): Promise<Uint8Array | null> {
  try {
    const res = await cache.match(key);
    if (!res) return null;
    const want = res.headers.get(DIGEST_HEADER);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return want !== null && (await sha256Hex(bytes)) === want ? bytes : null;
  } catch {
    return null; // an unreadable entry is a miss: the network copy replaces it
  }
}

/** Stores bytes under `key` with their digest; false when that failed (a full quota, a closed cache). */
async function writeEntry(cache: Cache, key: string, bytes: Uint8Array): Promise<boolean> {
  try {
    const headers = {
      'content-type': 'application/octet-stream',
      [DIGEST_HEADER]: await sha256Hex(bytes),
    };
    await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>, { headers }));
    return true;
  } catch {
    return false; // caching is an optimisation; the load goes on with the downloaded bytes
  }
}

/** The files a model.json names (shards, task files), or null when it is not valid JSON. */
function namedFiles(bytes: Uint8Array): string[] | null {
  try {
    return filesNamedBy(JSON.parse(new TextDecoder().decode(bytes)));
  } catch {
    return null;
  }
}

/** Deletes the entries of `folder` that belong to other versions of its model.json. */
async function pruneOtherVersions(cache: Cache, folder: string, version: string): Promise<void> {
  const prefix = absolute(`${folder}/`);
  if (!prefix) return;
  for (const req of await cache.keys()) {
    const v = new URL(req.url).searchParams.get(VERSION_PARAM);
    if (v !== null && v !== version && req.url.startsWith(prefix)) await cache.delete(req);
  }
}

/**
 * A source over the model folder at `folderUrl` that keeps its files in the Cache API cache
 * `cacheName`. The policy:
 * - model.json is always asked of the network first (revalidateModelJson: `cache: 'no-cache'`);
 *   only when the network fails (offline) is the stored copy used. It is stored once every file
 *   it names is in the cache, so the stored copy always loads offline.
 * - every other file (weight shards, tokenizer, vocab, card) is read from the cache under a key
 *   made of its URL and the SHA-256 of that model.json; on a miss it is downloaded and stored. A
 *   republished model has a new model.json, hence new keys: its files are downloaded afresh and,
 *   once all are stored, the previous version's entries are deleted.
 * - each entry carries the SHA-256 of its bytes; an entry that does not match (corrupt,
 *   truncated, written by someone else) or cannot be read is a miss and is replaced.
 * Where the Cache API cannot be opened the source simply downloads.
 *
 * @example
 * const src = cachedSource('https://example.org/m/translate-en-es', 'seqlab-models-v1', fetch);
 * const t = await loadFromSource(src);
 */
export function cachedSource(
  folderUrl: string,
  cacheName: string,
  fetchImpl: typeof fetch,
): ModelSource {
  const net = httpSource(folderUrl, fetchImpl, revalidateModelJson);
  let opened: Promise<Cache | null> | null = null;
  const open = () => {
    opened ??= (cacheStorage()?.open(cacheName) ?? Promise.resolve(null)).catch(() => null);
    return opened;
  };
  let modelJson: Promise<{ bytes: Uint8Array; version: string }> | null = null;
  /** Files of a freshly downloaded model.json not yet in the cache; when none is left, it commits. */
  let uncached: Set<string> | null = null;
  let commit: (() => Promise<void>) | null = null;
  const stored = async (name?: string) => {
    if (name !== undefined) uncached?.delete(name);
    if (!commit || (uncached?.size ?? 1) > 0) return;
    const c = commit;
    commit = null;
    await c();
  };

  const readModelJson = async (onBytes?: (n: number) => void) => {
    const cache = await open();
    const key = join(folderUrl, 'model.json');
    let bytes: Uint8Array;
    try {
      bytes = await net.read('model.json', onBytes);
    } catch (e) {
      const copy = e instanceof FetchFailed && cache ? await readEntry(cache, key) : null;
      if (!copy) throw e;
      onBytes?.(copy.length);
      // offline: the last model.json whose files all reached this cache
      return { bytes: copy, version: (await sha256Hex(copy)).slice(0, 16) };
    }
    const version = (await sha256Hex(bytes)).slice(0, 16);
    const names = namedFiles(bytes);
    if (cache && names) {
      // model.json becomes the offline copy, and older versions go, only once every file it
      // names is cached: an interrupted download never leaves a version that cannot load offline.
      uncached = new Set(names);
      commit = async () => {
        if (await writeEntry(cache, key, bytes))
          void pruneOtherVersions(cache, folderUrl, version).catch(() => {});
      };
      await stored();
    }
    return { bytes, version };
  };

  /** model.json's bytes and version, read once per source; a failure is forgotten so a retry asks again. */
  const modelJsonOnce = (onBytes?: (n: number) => void) => {
    if (modelJson) return modelJson;
    const p = readModelJson(onBytes);
    modelJson = p;
    p.catch(() => {
      if (modelJson === p) modelJson = null;
    });
    return p;
  };

  return {
    location: folderUrl,
    async read(name, onBytes) {
      if (name === 'model.json') {
        const known = modelJson !== null;
        const { bytes } = await modelJsonOnce(onBytes);
        if (known) onBytes?.(bytes.length);
        return bytes;
      }
      // Files are versioned by the model.json that names them, so that is read first.
      const { version } = await modelJsonOnce();
      const cache = await open();
      const key = versionedKey(join(folderUrl, name), version);
      const hit = cache ? await readEntry(cache, key) : null;
      if (hit) {
        onBytes?.(hit.length);
        await stored(name);
        return hit;
      }
      const bytes = await net.read(name, onBytes);
      if (cache && (await writeEntry(cache, key, bytes))) await stored(name);
      return bytes;
    },
  };
}

/**
 * Deletes cached model files: all of them (the whole `env.cacheName` cache), or those of one
 * model, named as `load` takes it (a name under `env.modelHost`, or a URL). Resolves to whether
 * anything was deleted; false where there is no Cache API.
 *
 * @example
 * await clearModelCache();                  // every model
 * await clearModelCache('translate-en-es'); // one model
 */
export async function clearModelCache(nameOrUrl?: string): Promise<boolean> {
  const storage = cacheStorage();
  if (!storage) return false;
  if (nameOrUrl === undefined) return storage.delete(env.cacheName);
  checkModelName(nameOrUrl, 'a URL');
  if (!(await storage.has(env.cacheName))) return false;
  const prefix = absolute(`${modelFolder(nameOrUrl, env.modelHost)}/`);
  if (!prefix) return false;
  const cache = await storage.open(env.cacheName);
  let deleted = false;
  for (const req of await cache.keys())
    if (req.url.startsWith(prefix)) deleted = (await cache.delete(req)) || deleted;
  return deleted;
}
