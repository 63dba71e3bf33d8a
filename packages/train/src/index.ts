// @seqlab/train public entry (pure: browser and Node): Trainer, training step, Adam, checkpoints, batch sources.

export { Adam, type AdamConfig, type AdamState } from './adam';
export { ArrayBatchSource } from './batch-source';
export { ImageBatchSource, mix, ShapesBatchSource } from './caption-batches';
export {
  type CheckpointData,
  type CheckpointMeta,
  type CheckpointStore,
  decodeCheckpoint,
  encodeCheckpoint,
  MemoryCheckpointStore,
  type TensorMap,
} from './checkpoint';
export {
  type CaptionerFolderInfo,
  captionerFolder,
  type ModelFiles,
  memoryFolderHandler,
  type TranslatorFolderInfo,
  translatorFolder,
} from './model-files';
export { type TrainStepOptions, type TrainStepResult, trainStep } from './train-step';
export { readCheckpointMeta, Trainer } from './trainer';
export type {
  BatchSource,
  CheckpointEvent,
  EpochEvent,
  NonFiniteEvent,
  StepEvent,
  TrainEngine,
  TrainerCallbacks,
  TrainerOptions,
  TrainSummary,
  ValidationEvent,
} from './trainer-types';
export {
  BpeDropoutBatches,
  type BpeDropoutOptions,
  encodeTranslationPairs,
  lengthBatches,
  type PreparedTranslation,
  prepareTranslation,
  type TranslationPrepOptions,
} from './translate-prep';
