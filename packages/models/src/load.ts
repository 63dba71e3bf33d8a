// load(): one entry for every task model — a shipped name, a URL, or (in Node, via /node) a directory.
import { loadCaptioner } from './captioner';
import { parseMetadata } from './metadata';
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

/** Load whichever task model a source holds (the task is read from model.json). */
export async function loadFromSource(
  src: ModelSource,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  // model.json is small; reading it first tells which pipeline to build and gives early, clear errors.
  const json = (await readJson(src, 'model.json')) as { userDefinedMetadata?: unknown } | null;
  const meta = parseMetadata(json?.userDefinedMetadata, `${src.location}/model.json`);
  const o = {
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.skipWarmup ? { skipWarmup: true } : {}),
  };
  return meta.task === 'translate' ? loadTranslator(src, o) : loadCaptioner(src, o);
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
  if (typeof nameOrUrl !== 'string' || nameOrUrl.length === 0) {
    throw new Error(
      `load: expected a model name (${Object.keys(MODEL_NAMES).join(', ')}) or a URL, got ${JSON.stringify(nameOrUrl)}`,
    );
  }
  const base = isModelName(nameOrUrl)
    ? `${(opts.baseUrl ?? '/models').replace(/\/+$/, '')}/${nameOrUrl}`
    : nameOrUrl.replace(/\/model\.json$/, '');
  return loadFromSource(httpSource(base), opts);
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
