// @seqlab/vision public entry: feature extractors (trainable CNN, pretrained adapter) and preprocessing. Pure compute.

export { BatchNorm, type BatchNormConfig } from './batch-norm';
export { ImageClassifier, trainClassifierStep } from './classifier';
export { conv2dSame } from './conv';
export type { FeatureExtractor, FeatureOptions, Features } from './feature-extractor';
export {
  type BrowserImageSource,
  type ImageInput,
  imagesToBatch,
  imageToTensor,
  type Normalization,
  normalizeImages,
  type PixelBuffer,
  type PreprocessOptions,
} from './preprocess';
export { loadPretrainedExtractor, PretrainedExtractor, type PretrainedOptions } from './pretrained';
export { type ResizeOptions, resizeImages } from './resize';
export {
  appendCoords,
  coordGrid,
  DEFAULT_SMALL_CNN,
  SmallCnn,
  type SmallCnnConfig,
  type SmallCnnJson,
} from './small-cnn';
export { decodeWeights, encodeWeights, type TensorJson, type WeightsJson } from './weights-json';
