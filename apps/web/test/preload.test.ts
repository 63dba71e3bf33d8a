// A worker started with a preload loads that model before any request; the page's later load
// joins it (one load) and still receives its progress.
import { describe, expect, it } from 'vitest';
import type { LoadProgress, Translator } from '../lib/model-types';
import { pair } from './pair';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const fakeTranslator = {
  task: 'translate',
  languages: { source: 'en', target: 'es' },
  card: { name: 'fake', title: 'fake', markdown: '', metrics: {}, sizeBytes: 0 },
  async translate() {
    return { text: 'hola' };
  },
  dispose() {},
} as unknown as Translator;

describe('worker preload', () => {
  it('starts the load at once; a later load request joins it and gets its progress', async () => {
    const loads: string[] = [];
    let report: ((p: LoadProgress) => void) | undefined;
    let finish: (() => void) | undefined;
    const client = pair([], 'translate', {
      preload: { model: 'translate-en-es', backend: 'cpu' },
      load: (name, onProgress) => {
        loads.push(name);
        report = onProgress;
        return new Promise((resolve) => {
          finish = () => resolve(fakeTranslator);
        });
      },
    });
    expect(loads).toEqual(['translate-en-es']); // before any request
    const seen: number[] = [];
    const reply = client.call({ type: 'load', model: 'translate-en-es' }, (p) =>
      seen.push(p.fraction),
    );
    await sleep(20);
    report?.({ fraction: 0.5, loadedBytes: 1, totalBytes: 2 });
    await sleep(20);
    finish?.();
    const r = await reply;
    expect(r.info.languages).toEqual({ source: 'en', target: 'es' });
    expect(loads).toEqual(['translate-en-es']);
    expect(seen).toEqual([0.5]);
    const init = await client.call({ type: 'init', backend: 'wasm' });
    // The preload's backend pin came first and holds for the worker's life.
    expect(init.backend.name).toBe('cpu');
    client.terminate();
  }, 20_000);

  it("forgets a failed preload, so the page's own load tries again", async () => {
    let n = 0;
    const client = pair([], 'translate', {
      preload: { model: 'translate-en-es' },
      load: async () => {
        n += 1;
        if (n === 1) throw new Error('network down');
        return fakeTranslator;
      },
    });
    await sleep(10);
    const r = await client.call({ type: 'load', model: 'translate-en-es' });
    expect(r.type).toBe('load');
    expect(n).toBe(2);
    client.terminate();
  }, 20_000);
});
