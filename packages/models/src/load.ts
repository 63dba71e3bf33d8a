// load(): one entry for every task model — a shipped name, a URL, or (in Node, via /node) a directory.
import { browserCacheAvailable, cachedSource } from './cache';
import { loadCaptioner } from './captioner';
import { checkSetting, env } from './env';
import { parseMetadata } from './metadata';
import { filesNamedBy, isPrefetchingSource, prefetchingSource } from './prefetch';
import { checkModelName, hasScheme, modelFolder } from './resolve';
import { httpSource, type ModelSource, readJson, revalidateModelJson } from './source';
import { loadTranslator } from './translator';
import type { Captioner, LoadOptions, ModelName, Translator } from './types';

export { checkModelName, isModelName, MODEL_NAMES } from './resolve';

/** Load whichever task model a source holds (the task is read from model.json). */
export async function loadFromSource(
  src: ModelSource,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  // Every file is read once; as soon as model.json names the others, all of them are requested.
  const files = isPrefetchingSource(src) ? src : prefetchingSource(src);
  try {
    // model.json is small; reading it first tells which pipeline to build and gives early, clear errors.
    const json = (await readJson(files, 'model.json')) as { userDefinedMetadata?: unknown } | null;
    const meta = parseMetadata(json?.userDefinedMetadata, `${src.location}/model.json`);
    files.prefetch(filesNamedBy(json));
    const o = {
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
      ...(opts.skipWarmup ? { skipWarmup: true } : {}),
      ...(opts.int8Head === false ? { int8Head: false } : {}),
      ...(opts.hostDecoding === false ? { hostDecoding: false } : {}),
    };
    return await (meta.task === 'translate' ? loadTranslator(files, o) : loadCaptioner(files, o));
  } finally {
    files.clear();
  }
}

/**
 * The folder URL `load` reads a name or URL from: a bare name under `baseUrl` (default
 * `env.modelHost`), a URL as given without '/model.json' or trailing slashes. Throws, saying
 * what is valid, for a file:// URL or a page-relative path where there is no page (Node: use
 * '@seqlab/models/node').
 * @example modelUrl('translate-en-es') // '/models/translate-en-es' with the default env
 */
export function modelUrl(nameOrUrl: ModelName | string, baseUrl?: string): string {
  checkModelName(nameOrUrl, 'a URL');
  if (baseUrl !== undefined) checkSetting('modelHost', baseUrl, 'load: opts.baseUrl');
  const url = modelFolder(nameOrUrl, baseUrl ?? env.modelHost);
  const hint =
    "in Node use load from '@seqlab/models/node' (folders, file:// URLs, the repository's models/), or set env.modelHost to an http(s) URL";
  if (/^file:/i.test(url))
    throw new Error(`load: '${url}' is a file:// URL, which fetch cannot read; ${hint}`);
  if (!hasScheme(url) && globalThis.location === undefined)
    throw new Error(
      `load: '${url}' is a path relative to a web page, but this context has no page; ${hint}`,
    );
  return url;
}

/**
 * The source `load` reads a name or URL from, with prefetching: call `prefetchModel()` to start
 * every download while something else (backend start-up) runs, then `loadFromSource`. Files go
 * through `env.fetch`, and through the browser's Cache API when `env.useBrowserCache` is on and
 * the context has one (see cachedSource for the policy).
 *
 * @example
 * const src = modelSource('translate-en-es'); // env.modelHost, or modelSource(name, '/models')
 * void src.prefetchModel().catch(() => {}); // errors surface in loadFromSource
 * await initBackend('wasm');
 * const t = await loadFromSource(src);
 */
export function modelSource(nameOrUrl: ModelName | string, baseUrl?: string) {
  const url = modelUrl(nameOrUrl, baseUrl);
  const fetchImpl = env.fetch;
  return prefetchingSource(
    browserCacheAvailable()
      ? cachedSource(url, env.cacheName, fetchImpl)
      : httpSource(url, fetchImpl, revalidateModelJson),
  );
}

/**
 * Load a task model by name or URL (browser, and Node for http(s) URLs). A bare name resolves
 * against `opts.baseUrl`, else `env.modelHost`; a URL may end in '/model.json' or '/'. In
 * browsers the files are kept in the Cache API (`env.useBrowserCache`). For folders and file://
 * URLs in Node use `load` from '@seqlab/models/node'.
 *
 * @example
 * const t = await load('translate-en-es', { onProgress: (p) => bar.update(p.fraction) });
 * if (t.task === 'translate') console.log((await t.translate('Save as…')).text);
 * t.dispose();
 * const m = await load('https://example.org/seqlab-models/my-model/'); // any static host
 */
export async function load(
  nameOrUrl: ModelName | string,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  return loadFromSource(modelSource(nameOrUrl, opts.baseUrl), opts);
}

/** Typed helper: load a translation model (errors if the folder holds another task). */
export async function loadTranslatorModel(
  nameOrUrl: string,
  opts: LoadOptions = {},
): Promise<Translator> {
  const m = await load(nameOrUrl, opts);
  if (m.task !== 'translate') {
    m.dispose();
    throw new Error(`load: '${nameOrUrl}' is a ${m.task} model, expected a translate model`);
  }
  return m;
}

/** Typed helper: load a caption model (errors if the folder holds another task). */
export async function loadCaptionerModel(
  nameOrUrl: string,
  opts: LoadOptions = {},
): Promise<Captioner> {
  const m = await load(nameOrUrl, opts);
  if (m.task !== 'caption') {
    m.dispose();
    throw new Error(`load: '${nameOrUrl}' is a ${m.task} model, expected a caption model`);
  }
  return m;
}
