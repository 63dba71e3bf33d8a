// @seqlab/models public entry: task pipelines (translate, caption) shared by the app and the CLI.

export { browserCacheAvailable, cachedSource, clearModelCache } from './cache';
export { CaptionerPipeline, knownCaptionsConstraint, loadCaptioner } from './captioner';
export { env, type ModelsEnv, resetEnv } from './env';
export { wantsHostDecoding } from './host-decoding';
export {
  isModelName,
  load,
  loadCaptionerModel,
  loadFromSource,
  loadTranslatorModel,
  MODEL_NAMES,
  modelSource,
  modelUrl,
} from './load';
export { parseMetadata, type TaskMetadata } from './metadata';
export {
  filesNamedBy,
  isPrefetchingSource,
  type PrefetchingSource,
  prefetchingSource,
} from './prefetch';
export {
  FetchFailed,
  httpSource,
  type ModelSource,
  memorySource,
  readJson,
  sourceHandler,
} from './source';
export {
  DEFAULT_COPY,
  loadTranslator,
  MAX_INPUT_CHARS,
  MAX_LENGTH_PENALTY,
  MAX_SOURCE_TOKENS,
  segment,
  type TokenizerFile,
  TRANSLATE_LENGTH_PENALTY,
  TranslatorPipeline,
  tidyOutput,
} from './translator';
export type * from './types';
