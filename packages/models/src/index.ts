// @seqlab/models public entry: task pipelines (translate, caption) shared by the app and the CLI.
export type * from './types';
export { load, loadFromSource, loadTranslatorModel, loadCaptionerModel, MODEL_NAMES, isModelName } from './load';
export { httpSource, memorySource, readJson, sourceHandler, type ModelSource } from './source';
export { TranslatorPipeline, loadTranslator, segment, MAX_SOURCE_TOKENS, MAX_INPUT_CHARS, type TokenizerFile } from './translator';
export { CaptionerPipeline, loadCaptioner, saveCaptionModel, loadCaptionModel, CAPTION_FORMAT } from './captioner';
export { CaptionModel, DEFAULT_CAPTION_CONFIG, type CaptionConfig, type CaptionBatch } from './caption-model';
export { parseMetadata, type TaskMetadata } from './metadata';
