// load(): one entry for every task model — a shipped name, a URL, or (in Node, via /node) a directory.
import { loadCaptioner } from './captioner';
import { parseMetadata } from './metadata';
import { filesNamedBy, isPrefetchingSource, prefetchingSource } from './prefetch';
import { httpSource, type ModelSource, readJson } from './source';
import { loadTranslator } from './translator';
import type { Captioner, LoadOptions, ModelName, Translator } from './types';

/** The pretrained models shipped in models/, by task. */
export const MODEL_NAMES: Readonly<Record<ModelName, 'translate' | 'caption'>> = {
  'translate-en-es': 'translate',
  'translate-en-fr': 'translate',
  'translate-en-de': 'translate',
  'caption-shapes': 'caption',
  'caption-emoji': 'caption',
};

export function isModelName(x: string): x is ModelName {
  return Object.hasOwn(MODEL_NAMES, x);
}

/**
 * The check every `load` makes first: a model name, URL or directory must be a non-empty string
 * (an empty one would resolve to the current directory or the site root). `where` names the
 * other valid kinds of value ("a URL", "a directory or an http(s) URL").
 * @example checkModelName('', 'a URL') // throws: load: the model name is empty; expected one of …
 */
export function checkModelName(nameOrUrl: unknown, where: string): asserts nameOrUrl is string {
  const valid = `expected one of ${Object.keys(MODEL_NAMES).join(', ')}, or ${where}`;
  if (typeof nameOrUrl !== 'string')
    throw new Error(`load: expected a model name as a string, got ${typeof nameOrUrl}; ${valid}`);
  if (nameOrUrl.trim() === '')
    throw new Error(
      `load: the model name is empty${nameOrUrl === '' ? '' : ` (only whitespace: ${JSON.stringify(nameOrUrl)})`}; ${valid}`,
    );
}

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
 * The source `load` reads a shipped name or URL from, with prefetching: call `prefetchModel()`
 * to start every download while something else (backend start-up) runs, then `loadFromSource`.
 *
 * @example
 * const src = modelSource('translate-en-es', '/models');
 * void src.prefetchModel().catch(() => {}); // errors surface in loadFromSource
 * await initBackend('wasm');
 * const t = await loadFromSource(src);
 */
export function modelSource(nameOrUrl: ModelName | string, baseUrl = '/models') {
  checkModelName(nameOrUrl, 'a URL');
  const base = isModelName(nameOrUrl)
    ? `${baseUrl.replace(/\/+$/, '')}/${nameOrUrl}`
    : nameOrUrl.replace(/\/model\.json$/, '');
  return prefetchingSource(httpSource(base));
}

/**
 * Load a task model by shipped name or URL (browser and Node with fetch).
 * For a local directory in Node use `load` from '@seqlab/models/node'.
 *
 * @example
 * const t = await load('translate-en-es', { onProgress: (p) => bar.update(p.fraction) });
 * if (t.task === 'translate') console.log((await t.translate('Save as…')).text);
 * t.dispose();
 */
export async function load(
  nameOrUrl: ModelName | string,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  return loadFromSource(modelSource(nameOrUrl, opts.baseUrl ?? '/models'), opts);
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
