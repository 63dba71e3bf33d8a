// The training packages the /train worker runs on, by their public entries. apps/web's
// package.json does not list @seqlab/train, @seqlab/seq2seq or @seqlab/kernels (package.json
// files are not edited in this change), so the entries are imported by path; each package
// resolves its own dependencies, which are the same files the app's @seqlab/models resolves.
export {
  KernelTrainStep,
  trainKernelSupport,
  webSpawn,
} from '../../../packages/kernels/src/index';
export {
  type CaptionBatch,
  CaptionModel,
  Seq2Seq,
} from '../../../packages/seq2seq/src/index';
export {
  ArrayBatchSource,
  type CheckpointStore,
  captionerFolder,
  ImageBatchSource,
  type ModelFiles,
  type PreparedTranslation,
  prepareTranslation,
  Trainer,
  translatorFolder,
} from '../../../packages/train/src/index';
