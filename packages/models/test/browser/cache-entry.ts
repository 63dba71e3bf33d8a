// In-page half of browser-cache.test.ts (bundled by esbuild): @seqlab/models on the cpu backend,
// driven from the test through window.__seqlab.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { clearModelCache, env, load } from '../../src/index';

const api = {
  env,
  clearModelCache,
  async ready(): Promise<string> {
    await tf.setBackend('cpu');
    return tf.getBackend();
  },
  /** Loads the model at `url` (a URL or a name), translates `text`, disposes it. */
  async translate(url: string, text: string): Promise<{ text: string; title: string }> {
    const m = await load(url, { skipWarmup: true });
    try {
      if (m.task !== 'translate') throw new Error(`expected a translator, got ${m.task}`);
      return { text: (await m.translate(text)).text, title: m.card.title };
    } finally {
      m.dispose();
    }
  },
  tensors: () => tf.memory().numTensors,
  /** URLs of the entries in env.cacheName. */
  async keys(): Promise<string[]> {
    const c = await caches.open(env.cacheName);
    return (await c.keys()).map((r) => r.url).sort();
  },
  /** Overwrites the entry whose URL contains `part` with `body` (its headers kept unless `bare`). */
  async corrupt(part: string, body: string, bare = false): Promise<string> {
    const c = await caches.open(env.cacheName);
    const req = (await c.keys()).find((r) => r.url.includes(part));
    if (!req) throw new Error(`no cache entry with '${part}'`);
    const old = await c.match(req);
    await c.put(req, new Response(body, bare ? {} : { headers: old?.headers ?? {} }));
    return req.url;
  },
};

declare global {
  interface Window {
    __seqlab?: typeof api;
  }
}
window.__seqlab = api;
