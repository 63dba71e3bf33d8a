// The FeatureExtractor contract shared by the trainable CNN and the pretrained adapter.
import type * as tf from '@tensorflow/tfjs-core';

export interface FeatureOptions {
  /** Training mode: batch norm uses batch statistics and updates its moving averages. Default false. */
  training?: boolean;
  /**
   * Compute the gradient with respect to the images too (saliency maps). Default false: the
   * first convolution skips it, which saves a large share of the backward pass.
   */
  inputGradients?: boolean;
  /**
   * Inference only (ignored when training): run with batch norm and input scaling folded into
   * the convolutions — one fused kernel per layer instead of four or five. The folded weights
   * are constants, so no gradient reaches the variables. Default false.
   */
  folded?: boolean;
}

/** Spatial features for attention (`grid`) and a global vector (`pooled`) from a batch of images. */
export interface Features {
  grid: tf.Tensor4D; // [batch, gridH, gridW, channels]
  pooled: tf.Tensor2D; // [batch, channels]
}

/**
 * Anything that turns images into features. Images are `[batch, h, w, 3]` floats in [0, 1];
 * extractors resize/normalise internally to their own input spec.
 *
 * @example
 * const { grid, pooled } = extractor.features(images); // caller disposes both
 */
export interface FeatureExtractor {
  features(images: tf.Tensor4D, options?: FeatureOptions): Features;
  /** Variables a decoder's optimizer may update jointly (empty when frozen). */
  readonly trainableWeights: tf.Variable[];
  /** Channels of `grid` and `pooled`. */
  readonly outputChannels: number;
  /** [gridH, gridW] for the extractor's input size. */
  readonly gridSize: [number, number];
  /** [height, width] images are resized to before the network. */
  readonly inputSize: [number, number];
  dispose(): void;
}
