// load() from every kind of place — http(s) URL, file:// URL, folder, name under env.modelHost —
// on a real shipped model served by a local node:http server; env settings and their errors.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { env, resetEnv } from '../src/env';
import { load as loadUrl, modelSource } from '../src/load';
import { defaultModelsDir, load } from '../src/node';
import type { Captioner, Translator } from '../src/types';
import { shippedShards, shippedTranslatorFiles } from './shipped-files';

const MODELS = defaultModelsDir();
const NAME = 'translate-en-es';
const SENTENCE = 'Open the file';

/** A static server over models/ that logs every request (path and headers). */
let server: Server;
let origin = '';
const requests: { path: string; headers: IncomingHttpHeaders }[] = [];
let scratch = '';
let expected = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  scratch = await mkdtemp(join(tmpdir(), 'models-sources-'));
  server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push({ path, headers: req.headers });
    const file = join(MODELS, path);
    if (!file.startsWith(`${MODELS}/`)) return void res.writeHead(403).end();
    try {
      const { readFile } = await import('node:fs/promises');
      const body = await readFile(file);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expected = await translateWith(() => load(join(MODELS, NAME)));
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await rm(scratch, { recursive: true, force: true });
});
afterEach(() => resetEnv());

/** Loads a model, translates SENTENCE, disposes it, and checks that no tensor is left behind. */
async function translateWith(get: () => Promise<Translator | Captioner>): Promise<string> {
  const before = tf.memory().numTensors;
  const m = await get();
  try {
    if (m.task !== 'translate') throw new Error(`expected a translator, got ${m.task}`);
    expect(m.card.name).toBe(NAME);
    return (await m.translate(SENTENCE)).text;
  } finally {
    m.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }
}

/** Paths requested while `f` ran. */
async function requested(f: () => Promise<unknown>): Promise<string[]> {
  const from = requests.length;
  await f();
  return requests.slice(from).map((r) => r.path);
}

describe('load from a URL, a file:// URL and a folder (a real shipped model)', () => {
  it('the folder translates (the reference for the other rows)', () => {
    expect(expected.length).toBeGreaterThan(0);
  });

  it.each([
    ['http URL of the folder', () => `${origin}/${NAME}`],
    ['http URL with a trailing slash', () => `${origin}/${NAME}/`],
    ['http URL of model.json', () => `${origin}/${NAME}/model.json`],
  ])('%s, from both entries, downloads every file once', async (_row, url) => {
    for (const entry of [load, loadUrl]) {
      const paths = await requested(async () => {
        expect(await translateWith(() => entry(url(), { skipWarmup: true }))).toBe(expected);
      });
      expect(paths.sort()).toEqual(
        shippedTranslatorFiles(MODELS, NAME).map((f) => `/${NAME}/${f}`),
      );
    }
  });

  it.each([
    ['file:// URL of the folder', () => pathToFileURL(join(MODELS, NAME)).href],
    ['file:// URL with a trailing slash', () => `${pathToFileURL(join(MODELS, NAME)).href}/`],
    ['file:// URL of model.json', () => pathToFileURL(join(MODELS, NAME, 'model.json')).href],
    ['folder path with a trailing slash', () => `${join(MODELS, NAME)}/`],
    ['path of model.json', () => join(MODELS, NAME, 'model.json')],
  ])('%s', async (_row, where) => {
    expect(await translateWith(() => load(where(), { skipWarmup: true }))).toBe(expected);
  });

  it('a URL that is not there names the file and the HTTP status', async () => {
    await expect(load(`${origin}/no-such-model/`)).rejects.toThrow(
      `${origin}/no-such-model/model.json: expected the file, got HTTP 404`,
    );
    await expect(load(pathToFileURL(join(scratch, 'nope')).href)).rejects.toThrow(
      /neither a shipped model name nor a directory \(looked at .*nope\)/,
    );
  });
});

describe('names resolve against env.modelHost (opts.baseUrl wins for one call)', () => {
  it("defaults to the repository's models/ folder in Node", async () => {
    expect(env.modelHost).toBe(MODELS);
    const paths = await requested(async () => {
      expect(await translateWith(() => load(NAME, { skipWarmup: true }))).toBe(expected);
    });
    expect(paths).toEqual([]); // read from disk
  });

  it('an http(s) host: both entries fetch the name from it', async () => {
    env.modelHost = `${origin}/`;
    for (const entry of [load, loadUrl]) {
      const paths = await requested(async () => {
        expect(await translateWith(() => entry(NAME, { skipWarmup: true }))).toBe(expected);
      });
      expect(paths).toContain(`/${NAME}/model.json`);
      for (const f of shippedShards(MODELS, NAME)) expect(paths).toContain(`/${NAME}/${f}`);
    }
  });

  it('a folder or file:// host holds models of any name', async () => {
    await cp(join(MODELS, NAME), join(scratch, 'hosted', 'my-translator'), { recursive: true });
    for (const host of [join(scratch, 'hosted'), pathToFileURL(join(scratch, 'hosted')).href]) {
      env.modelHost = host;
      expect(await translateWith(() => load('my-translator', { skipWarmup: true }))).toBe(expected);
    }
    await expect(load('not-hosted-here')).rejects.toThrow(
      `looked at ${join(scratch, 'hosted', 'not-hosted-here')}); names resolve under env.modelHost`,
    );
  });

  it('opts.baseUrl overrides env.modelHost for one call', async () => {
    env.modelHost = 'http://127.0.0.1:9/nothing-listens-here';
    const paths = await requested(async () => {
      const t = await translateWith(() => loadUrl(NAME, { baseUrl: origin, skipWarmup: true }));
      expect(t).toBe(expected);
    });
    expect(paths).toContain(`/${NAME}/model.json`);
    await expect(loadUrl(NAME, { skipWarmup: true })).rejects.toThrow(
      /127\.0\.0\.1:9\/nothing-listens-here\/translate-en-es\/model\.json: could not fetch/,
    );
  });

  it('env.fetch carries every download', async () => {
    const seen: string[] = [];
    env.fetch = (input, init) => {
      seen.push(String(input));
      const headers = new Headers(init?.headers);
      headers.set('x-token', 'abc');
      return fetch(input, { ...init, headers });
    };
    const from = requests.length;
    expect(await translateWith(() => loadUrl(`${origin}/${NAME}/`, { skipWarmup: true }))).toBe(
      expected,
    );
    // every file of the folder (card, model.json, tokenizer, each weight shard), once
    const files = shippedTranslatorFiles(MODELS, NAME).length;
    expect(seen).toHaveLength(files);
    const mine = requests.slice(from);
    expect(mine).toHaveLength(files);
    for (const r of mine) expect(r.headers['x-token']).toBe('abc');
  });

  it('the URL entry in Node refuses page-relative paths and file:// URLs, pointing at /node', async () => {
    env.modelHost = '/models';
    await expect(loadUrl(NAME)).rejects.toThrow(
      /load: '\/models\/translate-en-es' is a path relative to a web page, but this context has no page; in Node use load from '@seqlab\/models\/node'/,
    );
    await expect(loadUrl(pathToFileURL(join(MODELS, NAME)).href)).rejects.toThrow(
      /is a file:\/\/ URL, which fetch cannot read; in Node use load from '@seqlab\/models\/node'/,
    );
  });
});

describe('env settings are checked when they are set', () => {
  const cases: [string, () => void, RegExp][] = [
    [
      'modelHost empty',
      () => {
        env.modelHost = ' ';
      },
      /^env\.modelHost: expected a non-empty string: an http\(s\) URL .*, got string " "$/,
    ],
    [
      'modelHost a number',
      () => {
        (env as { modelHost: unknown }).modelHost = 3;
      },
      /^env\.modelHost: expected a non-empty string.*, got number 3$/,
    ],
    [
      'useBrowserCache a string',
      () => {
        (env as { useBrowserCache: unknown }).useBrowserCache = 'false';
      },
      /^env\.useBrowserCache: expected true or false, got string "false"$/,
    ],
    [
      'cacheName null',
      () => {
        (env as { cacheName: unknown }).cacheName = null;
      },
      /^env\.cacheName: expected a non-empty string naming a Cache API cache.*, got null$/,
    ],
    [
      'fetch an object',
      () => {
        (env as { fetch: unknown }).fetch = {};
      },
      /^env\.fetch: expected a function with the signature of fetch\(input, init\), got object$/,
    ],
    [
      'a misspelt setting',
      () => {
        (env as unknown as Record<string, unknown>).modelhost = 'x';
      },
      /^env: unknown setting 'modelhost'; valid settings: modelHost, useBrowserCache, cacheName, fetch$/,
    ],
    [
      'deleting a setting',
      () => {
        delete (env as Partial<typeof env>).cacheName;
      },
      /^env: settings cannot be deleted \('cacheName'\)/,
    ],
  ];
  it.each(cases)('%s', (_row, set, error) => {
    const before = { ...env };
    expect(set).toThrow(error);
    expect({ ...env }).toEqual(before); // a refused value changes nothing
  });

  it('opts.baseUrl is checked the same way', async () => {
    await expect(load(NAME, { baseUrl: '' })).rejects.toThrow(
      /^load: opts\.baseUrl: expected a non-empty string/,
    );
    await expect(loadUrl(NAME, { baseUrl: 7 as unknown as string })).rejects.toThrow(
      /^load: opts\.baseUrl: expected a non-empty string.*got number 7$/,
    );
  });

  it('valid settings are kept and resetEnv restores the defaults', () => {
    env.cacheName = 'mine';
    env.useBrowserCache = false;
    expect(env.cacheName).toBe('mine');
    expect(env.useBrowserCache).toBe(false);
    resetEnv();
    expect(env.cacheName).toBe('seqlab-models-v1');
    expect(env.useBrowserCache).toBe(true);
    expect(env.modelHost).toBe(MODELS);
  });

  it('the source uses the settings current when it is made', () => {
    env.modelHost = 'https://example.org/seqlab-models/';
    expect(modelSource(NAME).location).toBe(`https://example.org/seqlab-models/${NAME}`);
    expect(modelSource('my-model').location).toBe('https://example.org/seqlab-models/my-model');
    expect(modelSource('https://h.org/m/x/model.json').location).toBe('https://h.org/m/x');
  });
});
