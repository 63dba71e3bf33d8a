// @seqlab/train/node: the run loop with files (checkpoints, history, progress), task trainers and model cards.

export { type CardInfo, writeCard } from './card';
export { FileCheckpointStore } from './checkpoint-store';
export { fromRepo, REPO_ROOT, readConfig } from './config-file';
export {
  CAPTION_CONFIG,
  type ConfigSchema,
  formatIssues,
  TRANSLATE_CONFIG,
  validateConfig,
} from './config-schema';
export { writeModelFolder } from './model-folder';
export { type TrainProgress, trainProgress } from './progress';
export {
  type AveragedResult,
  averagedCard,
  checkpointStore,
  checkRunDir,
  type HistoryEntry,
  type LoopConfig,
  type RunDirFlags,
  type RunTrainingOptions,
  runTraining,
  scheduledLr,
  type TrainConfigBase,
  type TrainingResult,
} from './run';
export {
  averageWeights,
  readSnapshot,
  snapshotSteps,
  snapshotsDir,
  type Weights,
  writeSnapshot,
} from './snapshots';
export {
  mergeConfig,
  type PlannedVariant,
  planSweep,
  readSweepGrid,
  type SweepVariant,
  translatorParams,
} from './sweep-plan';
export { type CaptionTrainConfig, trainCaption } from './tasks/caption';
export {
  addSourceWords,
  type EncodedPair,
  encodePairs,
  makeBatches,
  type TranslateTrainConfig,
  trainTranslate,
} from './tasks/translate';
export { prepareTorchData, type TorchRunOptions, trainTorch } from './torch/engine';
