// The page's boot script starts the demo's worker with its first model named in the URL fragment;
// the worker reads that back; the page adopts the worker once.
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { adoptBootWorker, bootScript, FIRST_MODEL, workerUrl } from '../lib/boot';
import { parsePreload } from '../workers/preload';

class FakeWorker {
  static made: FakeWorker[] = [];
  listeners: ((e: { message: string }) => void)[] = [];
  terminated = false;
  constructor(
    readonly url: string,
    readonly opts: { type?: string; name?: string },
  ) {
    FakeWorker.made.push(this);
  }
  addEventListener(_type: 'error', fn: (e: { message: string }) => void) {
    this.listeners.push(fn);
  }
  terminate() {
    this.terminated = true;
  }
}

/** Runs the boot script as a page at `path` would, returning what it left on window. */
function runBoot(path: string, search = '') {
  FakeWorker.made = [];
  const window: Record<string, unknown> = {};
  runInNewContext(bootScript(), {
    window,
    location: { pathname: path, search },
    Worker: FakeWorker,
    URLSearchParams,
  });
  return window as {
    __seqlabWorkers?: Record<string, { worker: FakeWorker; error: string | null }>;
  };
}

describe('boot script', () => {
  it('starts the translate worker with its first model and the pinned backend', () => {
    const w = runBoot('/translate', '?backend=wasm');
    expect(FakeWorker.made).toHaveLength(1);
    const [made] = FakeWorker.made;
    expect(made?.url).toBe(`${workerUrl('translate')}#preload=translate-en-es&backend=wasm`);
    expect(made?.opts).toEqual({ type: 'module', name: 'translate' });
    expect(w.__seqlabWorkers?.translate?.worker).toBe(made);
    expect(parsePreload(new URL(made?.url ?? '', 'http://x').hash)).toEqual({
      model: FIRST_MODEL.translate,
      backend: 'wasm',
    });
  });

  it('starts the caption worker on /caption/, and none elsewhere', () => {
    runBoot('/caption/');
    expect(FakeWorker.made.map((m) => m.url)).toEqual([
      '/workers/caption.js#preload=caption-shapes',
    ]);
    for (const p of ['/', '/lab', '/translate/extra', '/captions', '/constructor', '//translate']) {
      expect(runBoot(p).__seqlabWorkers).toBeUndefined();
      expect(FakeWorker.made).toHaveLength(0);
    }
  });

  it('passes ?decode=tensor on to the worker (the perf baseline)', () => {
    runBoot('/caption', '?backend=wasm&decode=tensor');
    const url = FakeWorker.made[0]?.url ?? '';
    expect(url).toBe('/workers/caption.js#preload=caption-shapes&backend=wasm&decode=tensor');
    expect(parsePreload(new URL(url, 'http://x').hash)).toEqual({
      model: 'caption-shapes',
      backend: 'wasm',
      decode: 'tensor',
    });
  });

  it('encodes whatever the page URL pins, and the worker refuses what it does not know', () => {
    runBoot('/translate', '?backend=%26preload%3Devil%23');
    const url = FakeWorker.made[0]?.url ?? '';
    expect(url).toBe('/workers/translate.js#preload=translate-en-es&backend=%26preload%3Devil%23');
    expect(parsePreload(new URL(url, 'http://x').hash)).toEqual({ model: 'translate-en-es' });
  });

  it('records a start-up error for the adopter', () => {
    const w = runBoot('/translate');
    const slot = w.__seqlabWorkers?.translate;
    for (const fn of slot?.worker.listeners ?? []) fn({ message: 'SyntaxError in worker' });
    expect(slot?.error).toBe('SyntaxError in worker');
  });

  it('leaves the page working where Worker is missing', () => {
    const window: Record<string, unknown> = {};
    runInNewContext(bootScript(), {
      window,
      location: { pathname: '/translate', search: '' },
      URLSearchParams,
    });
    expect(window.__seqlabWorkers).toBeUndefined();
  });
});

describe('parsePreload', () => {
  it('reads a model and an optional known backend', () => {
    expect(parsePreload('#preload=caption-emoji')).toEqual({ model: 'caption-emoji' });
    expect(parsePreload('#preload=caption-emoji&backend=webgl')).toEqual({
      model: 'caption-emoji',
      backend: 'webgl',
    });
    expect(parsePreload('#preload=caption-emoji&backend=tpu')).toEqual({ model: 'caption-emoji' });
    expect(parsePreload('#preload=caption-emoji&decode=tensor')).toEqual({
      model: 'caption-emoji',
      decode: 'tensor',
    });
    expect(parsePreload('#preload=caption-emoji&decode=gpu')).toEqual({ model: 'caption-emoji' });
  });

  it('gives null for no preload or a name that is not a model name', () => {
    for (const h of [
      '',
      '#',
      '#backend=wasm',
      '#preload=',
      '#preload=../x',
      '#preload=A',
      '#preload=a%2Fb',
    ])
      expect(parsePreload(h)).toBeNull();
  });
});

describe('adoptBootWorker', () => {
  const g = globalThis as { window?: unknown };
  afterEach(() => {
    delete g.window;
  });

  it('hands the boot worker over once', () => {
    const worker = new FakeWorker('/workers/translate.js', {});
    g.window = { __seqlabWorkers: { translate: { worker, error: null } } };
    expect(adoptBootWorker('translate')).toBe(worker);
    expect(adoptBootWorker('translate')).toBeNull();
    expect(adoptBootWorker('caption')).toBeNull();
  });

  it('drops a worker that failed to start, so the caller starts a fresh one', () => {
    const worker = new FakeWorker('/workers/caption.js', {});
    g.window = { __seqlabWorkers: { caption: { worker, error: 'failed' } } };
    expect(adoptBootWorker('caption')).toBeNull();
    expect(worker.terminated).toBe(true);
  });

  it('is null outside a browser', () => {
    expect(adoptBootWorker('translate')).toBeNull();
  });
});
