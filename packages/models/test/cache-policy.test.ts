// The Cache API policy of load() in Node, with an in-memory CacheStorage in place of the browser's
// (browser-cache.test.ts checks the same in real Chromium): what is fetched, what is reused, what
// is replaced, and that a broken or missing cache never stops a load.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clearModelCache } from '../src/cache';
import { env, resetEnv } from '../src/env';
import { load } from '../src/load';
import { type Files, tinyTranslatorFiles } from './helpers';

const HOST = 'http://models.test/m';
const FOLDER = `${HOST}/tiny`;
const SHARD = 'group1-shard1of1.bin';

/** Map-backed Cache and CacheStorage: the subset of the Cache API the loader uses. */
class MemoryCache {
  readonly entries = new Map<string, Response>();
  failPuts = false;
  private key = (r: RequestInfo | URL) => (r instanceof Request ? r.url : new URL(r).href);
  async match(r: RequestInfo | URL) {
    return this.entries.get(this.key(r))?.clone();
  }
  async put(r: RequestInfo | URL, res: Response) {
    if (this.failPuts) throw new DOMException('quota exceeded', 'QuotaExceededError');
    this.entries.set(this.key(r), new Response(await res.arrayBuffer(), { headers: res.headers }));
  }
  async keys() {
    return [...this.entries.keys()].map((u) => new Request(u));
  }
  async delete(r: RequestInfo | URL) {
    return this.entries.delete(this.key(r));
  }
}
class MemoryCacheStorage {
  readonly named = new Map<string, MemoryCache>();
  failOpen = false;
  async open(name: string) {
    if (this.failOpen) throw new DOMException('no storage here', 'SecurityError');
    if (!this.named.has(name)) this.named.set(name, new MemoryCache());
    return this.named.get(name) as MemoryCache;
  }
  async has(name: string) {
    return this.named.has(name);
  }
  async delete(name: string) {
    return this.named.delete(name);
  }
}

let files: Files;
let storage: MemoryCacheStorage;
/** What the "server" holds, what it was asked for, and whether it is reachable. */
let served: Files;
let fetched: string[];
let offline = false;
let status = 200;
/** Files whose download fails (a connection lost mid-load). */
let failing = new Set<string>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyTranslatorFiles();
});

function setUp() {
  storage = new MemoryCacheStorage();
  (globalThis as { caches?: unknown }).caches = storage;
  served = { ...files };
  fetched = [];
  offline = false;
  status = 200;
  failing = new Set();
  env.modelHost = HOST;
  env.fetch = async (input) => {
    const url = String(input);
    fetched.push(url.slice(FOLDER.length + 1));
    if (offline || failing.has(url.slice(FOLDER.length + 1))) throw new TypeError('fetch failed');
    const body = served[url.slice(FOLDER.length + 1)];
    if (status !== 200 || body === undefined)
      return new Response('', { status: body === undefined ? 404 : status });
    return new Response(body as BodyInit);
  };
}
afterEach(() => {
  delete (globalThis as { caches?: unknown }).caches;
  resetEnv();
});

/** Loads 'tiny' by name, translates, disposes, checks no tensor is left. */
async function translate(): Promise<string> {
  const before = tf.memory().numTensors;
  const m = await load('tiny', { skipWarmup: true });
  try {
    if (m.task !== 'translate') throw new Error('expected a translator');
    return (await m.translate('Open the file', { maxLength: 6 })).text;
  } finally {
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }
}
const entries = () => [...(storage.named.get('seqlab-models-v1')?.entries.keys() ?? [])].sort();

describe('Cache API policy (in-memory CacheStorage)', () => {
  it('the second load fetches model.json only', async () => {
    setUp();
    const first = await translate();
    expect(fetched.sort()).toEqual(Object.keys(files).sort());
    fetched = [];
    expect(await translate()).toBe(first);
    expect(fetched).toEqual(['model.json']);
    expect(entries()).toHaveLength(Object.keys(files).length);
  });

  it('a corrupt entry is fetched again and replaced', async () => {
    setUp();
    const first = await translate();
    const cache = storage.named.get('seqlab-models-v1') as MemoryCache;
    const key = entries().find((k) => k.includes(SHARD)) as string;
    const old = cache.entries.get(key) as Response;
    cache.entries.set(key, new Response(new Uint8Array(7), { headers: old.headers }));
    fetched = [];
    expect(await translate()).toBe(first);
    expect(fetched.sort()).toEqual([SHARD, 'model.json']);
    fetched = [];
    expect(await translate()).toBe(first);
    expect(fetched).toEqual(['model.json']);
  });

  it('a republished model.json is used at once and its old files are pruned', async () => {
    setUp();
    await translate();
    const before = entries();
    served = await tinyTranslatorFiles(2); // other weights
    fetched = [];
    const republished = await translate();
    expect(fetched.sort()).toEqual(Object.keys(files).sort());
    await expect.poll(() => entries().length).toBe(before.length);
    expect(entries()).not.toEqual(before);
    // the same as a load that never saw the old version
    storage.named.clear();
    expect(await translate()).toBe(republished);
  });

  it('offline, the cached copy loads; with nothing cached the error names the file', async () => {
    setUp();
    const online = await translate();
    offline = true;
    expect(await translate()).toBe(online);
    await clearModelCache('tiny');
    expect(entries()).toEqual([]);
    await expect(translate()).rejects.toThrow(`${FOLDER}/model.json: could not fetch`);
  });

  it('an interrupted download of a new version keeps the previous one loadable offline', async () => {
    setUp();
    const v1 = await translate();
    const v1Entries = entries();
    served = await tinyTranslatorFiles(2);
    failing.add(SHARD);
    await expect(translate()).rejects.toThrow(`${FOLDER}/${SHARD}: could not fetch`);
    // v2's other files are cached, but model.json and v1's files are untouched
    expect(entries()).toEqual(expect.arrayContaining(v1Entries));
    offline = true;
    expect(await translate()).toBe(v1);
  });

  it('an HTTP error on model.json is reported, not hidden by the cached copy', async () => {
    setUp();
    await translate();
    status = 503;
    await expect(translate()).rejects.toThrow(
      `${FOLDER}/model.json: expected the file, got HTTP 503`,
    );
  });

  it('a cache that cannot be opened or written costs only the caching', async () => {
    setUp();
    storage.failOpen = true;
    const a = await translate();
    storage.failOpen = false;
    (await storage.open('seqlab-models-v1')).failPuts = true;
    fetched = [];
    expect(await translate()).toBe(a);
    expect(fetched).toHaveLength(Object.keys(files).length);
    expect(entries()).toEqual([]);
  });

  it('env.useBrowserCache = false and env.cacheName are honoured', async () => {
    setUp();
    env.useBrowserCache = false;
    await translate();
    expect(storage.named.size).toBe(0);
    env.useBrowserCache = true;
    env.cacheName = 'elsewhere';
    await translate();
    expect([...storage.named.keys()]).toEqual(['elsewhere']);
    expect(await clearModelCache()).toBe(true);
    expect(storage.named.size).toBe(0);
  });
});
