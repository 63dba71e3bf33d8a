// @seqlab/seq2seq public entry: LSTM encoder-decoder with attention, decoding, training, save/load.
export { PAD, BOS, EOS, UNK } from './tokens';
export { Rng, type RngState } from './rng';
export { type AttentionKind, type Seq2SeqConfig, DEFAULT_CONFIG, resolveConfig } from './config';
export { ParamStore, glorotUniform, embeddingInit } from './params';
export { Attention, maskedSoftmax, type AttentionRead } from './attention';
export { Encoder, type EncoderConfig, type EncoderOutput } from './encoder';
export {
  Decoder, type DecoderConfig, type DecoderMemory, type DecoderState, type StepOutput,
  gatherMemory, gatherState, disposeMemory, disposeState,
} from './decoder';
export { type Seq2SeqBatch, padIds, teacherForcingPair, countTargetTokens } from './batch';
export { maskedCrossEntropy, sequenceLogProb } from './loss';
export { type AllowedTokensFn } from './constraints';
export { greedyDecode, type GreedyOptions, type GreedyResult } from './greedy';
export { beamSearchDecode, lengthNorm, type BeamOptions, type Hypothesis } from './beam-search';
export { Seq2Seq, type TrainableModel } from './model';
export { Adam, type AdamConfig, type AdamState } from './adam';
export { trainStep, type TrainStepOptions, type TrainStepResult } from './train-step';
export {
  type CheckpointStore, type CheckpointData, type CheckpointMeta, type TensorMap,
  MemoryCheckpointStore, encodeCheckpoint, decodeCheckpoint,
} from './checkpoint';
export {
  Trainer, readCheckpointMeta, type BatchSource, type TrainerOptions, type TrainerCallbacks, type TrainSummary,
  type StepEvent, type EpochEvent, type ValidationEvent, type CheckpointEvent, type NonFiniteEvent,
} from './trainer';
export { ArrayBatchSource } from './batch-source';
export { clipByGlobalNorm } from './recurrent';
export { type Quantization, quantizeTensor, toFloat16Bits } from './quantize';
export { saveParams, loadParams, type SaveOptions, type LoadedArtifacts, type SeqlabTopology } from './serialize';
export { saveSeq2Seq, loadSeq2Seq, SEQ2SEQ_FORMAT } from './model-io';
