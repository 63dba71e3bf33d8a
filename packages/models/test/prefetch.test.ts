import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFromSource } from '../src/load';
import { filesNamedBy, prefetchingSource } from '../src/prefetch';
import { type ModelSource, memorySource } from '../src/source';
import { type Files, tinyTranslatorFiles } from './helpers';

let files: Files;
beforeAll(async () => {
  await tf.setBackend('cpu');
  files = await tinyTranslatorFiles();
});

/** A memory source that counts reads per file and can be told to fail a file once. */
function counting(f: Files, failOnce: string[] = []) {
  const inner = memorySource(f, 'mem');
  const reads = new Map<string, number>();
  const failing = new Set(failOnce);
  const src: ModelSource = {
    location: 'mem',
    async read(name, onBytes) {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      await new Promise((r) => setTimeout(r, 5)); // a round trip
      if (failing.delete(name)) throw new Error(`mem/${name}: connection reset`);
      return inner.read(name, onBytes);
    },
  };
  return { src, reads };
}

describe('prefetchingSource', () => {
  it('names every shard and task file that model.json lists', () => {
    const json = JSON.parse(files['model.json'] as string);
    const names = filesNamedBy(json);
    for (const n of names) expect(files[n], n).toBeDefined();
    expect(names).toContain('tokenizer.json');
    expect(names.some((n) => n.endsWith('.bin'))).toBe(true);
    expect(filesNamedBy(null)).toEqual([]);
    expect(
      filesNamedBy({ weightsManifest: 'x', userDefinedMetadata: { files: { a: 3 } } }),
    ).toEqual([]);
  });

  it('fetches a file once however often it is read, and a late reader still gets all progress', async () => {
    const { src, reads } = counting(files);
    const p = prefetchingSource(src);
    p.prefetch(['tokenizer.json']);
    await new Promise((r) => setTimeout(r, 20)); // finished before anyone reads it
    let seen = 0;
    const a = await p.read('tokenizer.json', (n) => {
      seen += n;
    });
    const b = await p.read('tokenizer.json');
    expect(b).toBe(a);
    expect(seen).toBe(a.length);
    expect(reads.get('tokenizer.json')).toBe(1);
  });

  it('forgets a failed read so the next read tries again, and the failure reaches the reader', async () => {
    const { src, reads } = counting(files, ['model.json']);
    const p = prefetchingSource(src);
    await expect(p.prefetchModel()).rejects.toThrow(/connection reset/);
    await expect(p.read('model.json')).resolves.toBeInstanceOf(Uint8Array);
    expect(reads.get('model.json')).toBe(2);
  });

  it('loadFromSource reads every file exactly once, model.json included, and builds the same model', async () => {
    const { src, reads } = counting(files);
    const p = prefetchingSource(src);
    await p.prefetchModel(); // as the web worker does while its backend starts
    const t = await loadFromSource(p, { skipWarmup: true });
    for (const [name, n] of reads) expect(n, name).toBe(1);
    expect(reads.has('model.json')).toBe(true);
    const plain = await loadFromSource(memorySource(files), { skipWarmup: true });
    if (t.task !== 'translate' || plain.task !== 'translate')
      throw new Error('expected translators');
    expect((await t.translate('Open the file')).text).toBe(
      (await plain.translate('Open the file')).text,
    );
    t.dispose();
    plain.dispose();
  });
});
