// The browser Cache API policy in real headless Chromium: a bundle of @seqlab/models loads the
// shipped translate-en-es from a local server that counts requests; the second load fetches no
// shard, a corrupt entry is refetched and replaced, a republished model.json is never served stale,
// offline loads come from the cache, and an insecure page (no `caches`) loads without caching.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tooling/chromium.mjs';
import { shippedShards, shippedTranslatorFiles } from './shipped-files';

const MODELS = fileURLToPath(new URL('../../../models/', import.meta.url));
const NAME = 'translate-en-es';
const FILES = shippedTranslatorFiles(MODELS, NAME);
/** The last weight file (the one the corruption test damages). */
const LAST_SHARD = shippedShards(MODELS, NAME).at(-1) as string;
const SENTENCE = 'Open the file';
/** An origin Chromium does not consider secure (so the page has no `caches`). */
const INSECURE_HOST = 'seqlab.test';

let server: Server;
let port = 0;
let context: BrowserContext;
let page: Page;
let profile = '';
/** Tensors alive in the page once the backend is up: every test must end with this many. */
let tensorsAtStart = 0;
/** Requests per path the server saw (an offline request is counted, then its socket dropped). */
const count = new Map<string, number>();
let offline = false;
/** Bodies served instead of the files on disk (a republished model.json). */
const overrides = new Map<string, Buffer>();

const counts = () =>
  Object.fromEntries(FILES.map((f) => [f, count.get(`/models/${NAME}/${f}`) ?? 0]));
/** Requests per file since `before` (a counts() snapshot). */
const since = (before: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts()).map(([f, n]) => [f, n - (before[f] ?? 0)]));
const all = (n: number) => Object.fromEntries(FILES.map((f) => [f, n]));
const onlyModelJson = { ...all(0), 'model.json': 1 };

beforeAll(async () => {
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/cache-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/entry.js')
      return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (!path.startsWith('/models/'))
      return void res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><meta charset="utf-8"><script src="/entry.js"></script>');
    count.set(path, (count.get(path) ?? 0) + 1);
    if (offline) return void req.socket.destroy();
    const file = join(MODELS, path.slice('/models/'.length));
    if (!file.startsWith(MODELS) || !existsSync(file)) return void res.writeHead(404).end();
    // model.json says it may be reused for an hour: only the loader's revalidation reaches us.
    // The other files may not be stored, so every request the page makes for them is counted.
    const cache = path.endsWith('/model.json') ? 'max-age=3600' : 'no-store';
    res.writeHead(200, { 'cache-control': cache }).end(overrides.get(path) ?? readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  profile = mkdtempSync(join(tmpdir(), 'seqlab-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`],
  });
  page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.__seqlab !== undefined);
  expect(await page.evaluate(() => window.__seqlab?.ready())).toBe('cpu');
  tensorsAtStart = await api().tensors();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await new Promise((r) => server?.close(r));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const api = (p: Page = page) => ({
  translate: (url: string) =>
    p.evaluate(([u, s]) => window.__seqlab!.translate(u, s), [url, SENTENCE] as const),
  keys: () => p.evaluate(() => window.__seqlab!.keys()),
  tensors: () => p.evaluate(() => window.__seqlab!.tensors()),
});

describe.skipIf(!existsSync(CHROMIUM_PATH))('Cache API in Chromium (translate-en-es)', () => {
  const url = () => `http://127.0.0.1:${port}/models/${NAME}/`;
  // Each test starts online with an empty cache, so one failure does not cascade.
  beforeEach(async () => {
    offline = false;
    overrides.clear();
    await page.evaluate(() => window.__seqlab!.clearModelCache());
  });
  afterEach(async () => {
    expect(await api().tensors()).toBe(tensorsAtStart); // every loaded model was disposed
  });

  it('loads twice, twice translating the same, the second time fetching only model.json', async () => {
    let before = counts();
    const first = await api().translate(url());
    expect(since(before)).toEqual(all(1));
    expect(first.text.length).toBeGreaterThan(0);
    // model.json (the offline copy) and every other file, keyed by model.json's digest
    const keys = await api().keys();
    expect(keys).toHaveLength(FILES.length);
    expect(keys).toContain(`${url()}model.json`);
    for (const f of FILES.filter((x) => x !== 'model.json'))
      expect(
        keys.some((k) => k.startsWith(`${url()}${f}?seqlab-model=`)),
        f,
      ).toBe(true);

    before = counts();
    const second = await api().translate(url());
    expect(since(before)).toEqual(onlyModelJson); // revalidated despite max-age=3600; no shard
    expect(second).toEqual(first);

    // the same folder by name (env.modelHost '/models') and by '…/model.json' hits the same entries
    before = counts();
    expect(await api().translate(NAME)).toEqual(first);
    expect(await api().translate(`${url()}model.json`)).toEqual(first);
    expect(since(before)).toEqual({ ...all(0), 'model.json': 2 });
  });

  it('a corrupt or foreign entry is fetched again and replaced', async () => {
    const reference = await api().translate(url());
    await page.evaluate((f) => window.__seqlab!.corrupt(f, 'garbage'), LAST_SHARD);
    await page.evaluate(() => window.__seqlab!.corrupt('tokenizer.json', '{}', true));
    let before = counts();
    expect(await api().translate(url())).toEqual(reference);
    expect(since(before)).toEqual({
      ...onlyModelJson,
      [LAST_SHARD]: 1,
      'tokenizer.json': 1,
    });
    before = counts();
    expect(await api().translate(url())).toEqual(reference);
    expect(since(before)).toEqual(onlyModelJson); // the entries were replaced
  });

  it('a republished model.json is used at once: its files are fetched again, the old ones deleted', async () => {
    const reference = await api().translate(url());
    const path = `/models/${NAME}/model.json`;
    const json = JSON.parse(readFileSync(join(MODELS, NAME, 'model.json'), 'utf8'));
    json.userDefinedMetadata.title = 'English → Spanish (republished)';
    overrides.set(path, Buffer.from(JSON.stringify(json)));
    const before = counts();
    const republished = await api().translate(url());
    expect(republished).toEqual({ ...reference, title: 'English → Spanish (republished)' });
    expect(since(before)).toEqual(all(1));
    // the previous version's entries are pruned in the background
    await expect
      .poll(async () => (await api().keys()).length, { timeout: 10_000 })
      .toBe(FILES.length);
    const versions = new Set(
      (await api().keys()).map((k) => new URL(k).searchParams.get('seqlab-model')),
    );
    expect(versions.size).toBe(2); // null (model.json) and the new version
  });

  it('offline, the cached model loads (by URL and by name); clearModelCache removes it', async () => {
    const online = await api().translate(url());
    offline = true;
    const before = counts();
    expect(await api().translate(url())).toEqual(online);
    expect(await api().translate(NAME)).toEqual(online);
    // model.json was tried (Chromium retries a reset connection), then read from the cache
    const tried = since(before);
    expect(tried['model.json']).toBeGreaterThanOrEqual(2);
    expect({ ...tried, 'model.json': 0 }).toEqual(all(0));
    expect(await page.evaluate((n) => window.__seqlab!.clearModelCache(n), NAME)).toBe(true);
    expect(await api().keys()).toEqual([]);
    await expect(api().translate(url())).rejects.toThrow(/model\.json: could not fetch/);
    expect(await page.evaluate(() => window.__seqlab!.clearModelCache())).toBe(true);
    expect(await page.evaluate(() => caches.has('seqlab-models-v1'))).toBe(false);
  });

  it('env.useBrowserCache = false downloads every time and stores nothing', async () => {
    await page.evaluate(() => {
      window.__seqlab!.env.useBrowserCache = false;
    });
    try {
      const before = counts();
      const a = await api().translate(url());
      const b = await api().translate(url());
      expect(b).toEqual(a);
      expect(since(before)).toEqual(all(2));
      expect(await page.evaluate(() => caches.has('seqlab-models-v1'))).toBe(false);
    } finally {
      await page.evaluate(() => {
        window.__seqlab!.env.useBrowserCache = true;
      });
    }
  });

  it('a page without the Cache API (insecure origin) loads without caching', async () => {
    const insecure = await context.newPage();
    try {
      await insecure.goto(`http://${INSECURE_HOST}:${port}/`);
      await insecure.waitForFunction(() => window.__seqlab !== undefined);
      await insecure.evaluate(() => window.__seqlab!.ready());
      expect(await insecure.evaluate(() => [isSecureContext, typeof caches])).toEqual([
        false,
        'undefined',
      ]);
      const reference = await api().translate(url());
      const before = counts();
      const modelUrl = `http://${INSECURE_HOST}:${port}/models/${NAME}/`;
      expect(await api(insecure).translate(modelUrl)).toEqual(reference);
      expect(await api(insecure).translate(modelUrl)).toEqual(reference);
      // each load downloads every file (model.json revalidated despite max-age=3600)
      expect(since(before)).toEqual(all(2));
    } finally {
      await insecure.close();
    }
  });
});
