import { MAX_INPUT_CHARS } from '@seqlab/models';
import { describe, expect, it } from 'vitest';
import { isResponse, MAX_TEXT_CHARS, parseRequest } from '../lib/protocol';
import { pair } from './pair';

describe('parseRequest', () => {
  it('accepts each well-formed request', () => {
    expect(parseRequest({ id: 1, type: 'init' })).toEqual({ id: 1, type: 'init' });
    expect(parseRequest({ id: 2, type: 'init', backend: 'wasm' }).type).toBe('init');
    expect(parseRequest({ id: 3, type: 'load', model: 'translate-en-es' }).type).toBe('load');
    expect(
      parseRequest({ id: 4, type: 'translate', model: 'm', text: 'Open', opts: {} }).type,
    ).toBe('translate');
    const image = { width: 2, height: 1, data: new Uint8ClampedArray(8) };
    expect(parseRequest({ id: 5, type: 'caption', model: 'm', image, opts: {} }).type).toBe(
      'caption',
    );
  });

  it('says what was wrong with a malformed request', () => {
    expect(() => parseRequest('hi')).toThrow(/request object, got string/);
    expect(() => parseRequest({ id: 1.5, type: 'init' })).toThrow(/integer request id, got 1.5/);
    expect(() => parseRequest({ id: 1, type: 'train' })).toThrow(
      /Unknown request type "train"; valid: init, load, translate, caption/,
    );
    expect(() => parseRequest({ id: 1, type: 'init', backend: 'cuda' })).toThrow(
      /Unknown backend "cuda"/,
    );
    expect(() => parseRequest({ id: 1, type: 'load' })).toThrow(
      /needs a model name, got undefined/,
    );
    expect(() =>
      parseRequest({ id: 1, type: 'translate', model: 'm', text: 'x'.repeat(MAX_TEXT_CHARS + 1) }),
    ).toThrow(new RegExp(`${MAX_TEXT_CHARS + 1} characters; at most ${MAX_TEXT_CHARS}`));
    const short = { width: 2, height: 2, data: new Uint8ClampedArray(8) };
    expect(() => parseRequest({ id: 1, type: 'caption', model: 'm', image: short })).toThrow(
      /width\*height\*4/,
    );
  });

  it('never lets through more text than the translator accepts', () => {
    expect(MAX_TEXT_CHARS).toBeLessThanOrEqual(MAX_INPUT_CHARS);
  });

  it('recognises replies', () => {
    expect(isResponse({ id: 1, type: 'error', message: 'x' })).toBe(true);
    expect(isResponse({ id: 1, type: 'nope' })).toBe(false);
    expect(isResponse(null)).toBe(false);
  });
});

describe('worker host ↔ client', () => {
  it('starts a backend and reports which one and why', async () => {
    const client = pair();
    const r = await client.call({ type: 'init', backend: 'cpu' });
    expect(r.type).toBe('init');
    expect(r.backend.name).toBe('cpu');
    expect(r.backend.reason).toMatch(/requested/);
    expect(r.backend.reason).toMatch(/decoding runs on seqlab's WebAssembly SIMD kernels/);
    client.terminate();
  }, 20_000);

  it('turns a failed load and a bad request into rejected calls, then keeps serving', async () => {
    const client = pair();
    await expect(client.call({ type: 'load', model: 'no-such-model' })).rejects.toThrow(
      /no-such-model/,
    );
    await expect(
      client.call({
        type: 'translate',
        model: 'translate-en-es',
        text: 'x'.repeat(MAX_TEXT_CHARS + 5),
        opts: {},
      }),
    ).rejects.toThrow(/at most 2000/);
    expect(client.inFlight).toBe(0);
    const again = await client.call({ type: 'init' });
    expect(again.backend.name).toBe('cpu'); // the first choice sticks for the worker's lifetime
    client.terminate();
  }, 20_000);

  it('runs start-up and loads alongside queued requests; every call settles with its own answer', async () => {
    const client = pair();
    const [init, load, bad] = await Promise.allSettled([
      client.call({ type: 'init', backend: 'cpu' }),
      client.call({ type: 'load', model: 'no-such-model' }),
      client.call({ type: 'translate', model: 'no-such-model', text: 'Open', opts: {} }),
    ]);
    expect(init.status === 'fulfilled' && init.value.backend.name).toBe('cpu');
    expect(load.status === 'rejected' && String(load.reason)).toMatch(/no-such-model/);
    expect(bad.status === 'rejected' && String(bad.reason)).toMatch(/no-such-model/);
    expect(client.inFlight).toBe(0);
    client.terminate();
  }, 20_000);
});
