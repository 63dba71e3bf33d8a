// @seqlab/vision public entry: feature extractors (trainable CNN, pretrained adapter) and preprocessing. Pure compute.
export type { FeatureExtractor, FeatureOptions, Features } from './feature-extractor';
export { BatchNorm, type BatchNormConfig } from './batch-norm';
export { SmallCnn, DEFAULT_SMALL_CNN, type SmallCnnConfig, type SmallCnnJson } from './small-cnn';
export { ImageClassifier, trainClassifierStep } from './classifier';
export { loadPretrainedExtractor, PretrainedExtractor, type PretrainedOptions } from './pretrained';
export {
  imageToTensor,
  imagesToBatch,
  normalizeImages,
  type ImageInput,
  type Normalization,
  type PixelBuffer,
  type PreprocessOptions,
  type BrowserImageSource,
} from './preprocess';
export { resizeImages, type ResizeOptions } from './resize';
export { encodeWeights, decodeWeights, type TensorJson, type WeightsJson } from './weights-json';
export { conv2dSame } from './conv';
