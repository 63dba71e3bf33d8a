// The training packages the /train worker runs on, by their public (browser) entries: one place
// that names what the worker uses of them.
export {
  KernelTrainStep,
  trainKernelSupport,
  webSpawn,
} from '@seqlab/kernels';
export {
  type CaptionBatch,
  CaptionModel,
  Seq2Seq,
} from '@seqlab/seq2seq';
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
} from '@seqlab/train';
