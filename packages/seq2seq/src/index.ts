// @seqlab/seq2seq public entry: LSTM encoder-decoder with attention, decoding, training, save/load.

export { int8HeadSimdAvailable } from '@seqlab/kernels';
export { Attention, type AttentionRead, maskBias, maskedSoftmax } from './attention';
export { countTargetTokens, padIds, type Seq2SeqBatch, teacherForcingPair } from './batch';
export { type BeamOptions, beamSearchDecode, type Hypothesis, lengthNorm } from './beam-search';
export { type AttentionKind, DEFAULT_CONFIG, resolveConfig, type Seq2SeqConfig } from './config';
export { type AllowedTokensFn, prefixConstraint } from './constraints';
export {
  Decoder,
  type DecoderConfig,
  type DecoderMemory,
  type DecoderState,
  disposeMemory,
  disposeState,
  gatherMemory,
  gatherState,
  type StepOutput,
} from './decoder';
export { Encoder, type EncoderConfig, type EncoderOutput } from './encoder';
export { type GreedyOptions, type GreedyResult, greedyDecode } from './greedy';
export { hostSelectByDefault } from './host-select';
export { Int8Head, type Int8HeadOptions, type Int8Logits } from './int8-head';
export { type DropoutCtx, dense3d, dropout, dropoutCtx, embed } from './layers';
export { maskedCrossEntropy, sequenceLogProb } from './loss';
export { Seq2Seq, type TrainableModel } from './model';
export { loadSeq2Seq, SEQ2SEQ_FORMAT, saveSeq2Seq } from './model-io';
export { embeddingInit, glorotUniform, ParamStore } from './params';
export { type Quantization, quantizeTensor, toFloat16Bits } from './quantize';
export {
  type LoadedArtifacts,
  loadModel,
  loadParams,
  type SaveOptions,
  type SeqlabTopology,
  saveParams,
} from './serialize';
export { BOS, EOS, PAD, UNK } from './tokens';
