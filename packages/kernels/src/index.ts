// @seqlab/kernels: seqlab's WebAssembly SIMD kernels, the one place for them.

export { type FloatKernels, KernelArena, roundUp } from './decode/arena';
export { floatModule, int8HeadSimdAvailable, int8Module, simdLogSumExp } from './decode/simd';
export { compileBase64, fromBase64, KernelInstance } from './instance';
export {
  GEMM_WS_BYTES,
  KernelPool,
  type KernelPoolOptions,
  type SpawnWorker,
  TRAIN_OPS,
  type TrainOp,
  trainKernelSupport,
  type WorkerLike,
} from './train/pool';
export { type KernelSeq2SeqConfig, type ParamSlot, seq2seqLayout } from './train/seq2seq-layout';
export {
  type KernelBatch,
  type KernelStepResult,
  type KernelTrainOptions,
  KernelTrainStep,
} from './train/train-step';
export { webSpawn } from './web';
