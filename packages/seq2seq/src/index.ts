// @seqlab/seq2seq public entry: the LSTM encoder-decoder and captioner (model/), generate() (decode/), fast decoding on seqlab's kernels (fast/), save/load (io/).

export { int8HeadSimdAvailable } from '@seqlab/kernels';
export {
  type BeamOptions,
  beamSearchDecode,
  type Hypothesis,
  lengthNorm,
} from './decode/beam-search';
export { type AllowedTokensFn, prefixConstraint } from './decode/constraints';
export { checkBeam, DECODE_DEFAULTS } from './decode/defaults';
export {
  type GenerateOptions,
  type Generator,
  generate,
  greedyHypothesis,
} from './decode/generate';
export { type GreedyOptions, type GreedyResult, greedyDecode } from './decode/greedy';
export { hostSelectByDefault } from './decode/select';
export {
  FastDecoder,
  type FastDecoderOptions,
  fastDecodingAvailable,
  wantsInt8Head,
} from './fast/fast-decoder';
export { HostDecoder } from './fast/host-decoder';
export { HostEncoder } from './fast/host-encoder';
export { Int8Head, type Int8HeadOptions, type Int8Logits } from './fast/int8-head';
export { CAPTION_FORMAT, loadCaptionModel, saveCaptionModel } from './io/caption-io';
export { loadSeq2Seq, SEQ2SEQ_FORMAT, saveSeq2Seq } from './io/model-io';
export { type Quantization, quantizeTensor, toFloat16Bits } from './io/quantize';
export {
  type LoadedArtifacts,
  loadModel,
  loadParams,
  type SaveOptions,
  type SeqlabTopology,
  saveParams,
} from './io/serialize';
export { SHARD_BYTES, type ShardedArtifacts, savedInfo, shardArtifacts } from './io/shards';
export { Attention, type AttentionRead, maskBias, maskedSoftmax } from './model/attention';
export { countTargetTokens, padIds, type Seq2SeqBatch, teacherForcingPair } from './model/batch';
export {
  type CaptionBatch,
  type CaptionConfig,
  CaptionModel,
  DEFAULT_CAPTION_CONFIG,
  dropWords,
  gridCoords,
} from './model/caption';
export {
  type AttentionKind,
  DEFAULT_CONFIG,
  resolveConfig,
  type Seq2SeqConfig,
} from './model/config';
export {
  Decoder,
  type DecoderConfig,
  type DecoderMemory,
  type DecoderState,
  type DecoderWeights,
  disposeMemory,
  disposeState,
  gatherMemory,
  gatherState,
  type StepOutput,
} from './model/decoder';
export {
  type ArrayEncoder,
  Encoder,
  type EncoderConfig,
  type EncoderOutput,
  type EncoderWeights,
} from './model/encoder';
export { type DropoutCtx, dense3d, dropout, dropoutCtx, embed } from './model/layers';
export { maskedCrossEntropy, sequenceLogProb } from './model/loss';
export { embeddingInit, glorotUniform, ParamStore } from './model/params';
export { Seq2Seq, type TrainableModel } from './model/seq2seq';
