// The caption worker warms its model while idle, never alongside a request, and stops when told.
import { describe, expect, it, vi } from 'vitest';
import type { Caption, Captioner, ImageInput } from '../lib/model-types';
import { warmupImage } from '../workers/host';
import { pair } from './pair';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A captioner that takes `ms` per call and records overlap and who called it. */
function fakeCaptioner(ms: number, failWarmups = false) {
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  const model: Captioner = {
    task: 'caption',
    imageSize: 8,
    canDecodeClosed: false,
    card: { name: 'fake', title: 'fake', markdown: '', metrics: {}, sizeBytes: 0 } as never,
    async caption(image: ImageInput): Promise<Caption> {
      const data = (image as { data: Uint8ClampedArray }).data;
      // The synthetic warm-up image has a light first pixel; requests in this test send black.
      const kind = data[0] === 240 ? 'warmup' : 'request';
      log.push(kind);
      active += 1;
      maxActive = Math.max(maxActive, active);
      await sleep(ms);
      active -= 1;
      if (kind === 'warmup' && failWarmups) throw new Error('no');
      return { text: kind, score: 0, tokens: [], attention: [], gridSize: [1, 1], nBest: [] };
    },
    dispose() {},
  };
  return { model, log, maxActive: () => maxActive };
}

const black = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };

describe('idle warm-ups in the worker host', () => {
  it('run after the load, a set number of times, one at a time', async () => {
    const f = fakeCaptioner(2);
    const client = pair([], 'caption', { idleWarmups: 6, load: async () => f.model });
    await client.call({ type: 'load', model: 'fake' });
    await vi.waitFor(() => expect(f.log).toHaveLength(6), { timeout: 5_000 });
    await sleep(50); // and no more after the sixth
    expect(f.log).toEqual(Array(6).fill('warmup'));
    expect(f.maxActive()).toBe(1);
    client.terminate();
  });

  it('let a request through between warm-ups and never overlap it', async () => {
    const f = fakeCaptioner(20);
    const client = pair([], 'caption', { idleWarmups: 20, load: async () => f.model });
    await client.call({ type: 'init', backend: 'cpu' }); // the reply reports tf memory
    await client.call({ type: 'load', model: 'fake' });
    await vi.waitFor(() => expect(f.log.length).toBeGreaterThan(0)); // warm-ups under way
    const started = f.log.length;
    const r = await client.call({ type: 'caption', model: 'fake', image: black, opts: {} });
    expect(r.result.text).toBe('request');
    // It waited for at most the warm-up already running (one more may start while the message is
    // in flight), not for the others left: checked on the order of calls, not on a clock.
    expect(started).toBeLessThan(19);
    expect(f.log.indexOf('request')).toBeLessThanOrEqual(started + 1);
    await vi.waitFor(() => expect(f.log).toHaveLength(21), { timeout: 10_000 });
    await sleep(50); // and no more after the twentieth warm-up
    expect(f.log.filter((k) => k === 'warmup')).toHaveLength(20);
    expect(f.log.filter((k) => k === 'request')).toHaveLength(1);
    expect(f.maxActive()).toBe(1);
    client.terminate();
  });

  it('are off for translation by default, off with idleWarmups 0, and stop at the first failure', async () => {
    let translations = 0;
    const translator = {
      task: 'translate',
      async translate() {
        translations += 1;
        return {};
      },
      dispose() {},
    } as never;
    const tr = pair([], 'translate', { load: async () => translator });
    await tr.call({ type: 'load', model: 'fake' });
    await sleep(60);
    expect(translations).toBe(0);
    tr.terminate();

    const f = fakeCaptioner(1);
    const off = pair([], 'caption', { idleWarmups: 0, load: async () => f.model });
    await off.call({ type: 'load', model: 'fake' });
    await sleep(60);
    expect(f.log).toEqual([]);
    off.terminate();

    const g = fakeCaptioner(1, true);
    const failing = pair([], 'caption', { idleWarmups: 10, load: async () => g.model });
    await failing.call({ type: 'load', model: 'fake' });
    await sleep(100);
    expect(g.log).toEqual(['warmup']);
    failing.terminate();
  });

  it('use a light image with a coloured square of the model size', () => {
    const img = warmupImage(10);
    expect(img.data.length).toBe(10 * 10 * 4);
    expect([...img.data.slice(0, 4)]).toEqual([240, 240, 240, 255]);
    const c = (5 * 10 + 5) * 4;
    expect([...img.data.slice(c, c + 4)]).toEqual([40, 80, 215, 255]);
  });
});
