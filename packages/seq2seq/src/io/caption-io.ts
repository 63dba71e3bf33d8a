// Save and load a CaptionModel (weights + config in model.json and shards; the vocabulary and card are the caller's).
import type * as tf from '@tensorflow/tfjs-core';
import { type CaptionConfig, CaptionModel, DEFAULT_CAPTION_CONFIG } from '../model/caption';
import { loadModel, type SaveOptions, saveParams } from './serialize';

/** Largest input size a saved caption model may declare (images are resized to it). */
const MAX_IMAGE_SIZE = 1024;

/** `format` of a saved caption model. */
export const CAPTION_FORMAT = 'seqlab-caption';

/** Save a caption model's weights and config (vocab and card are written by the caller). */
export async function saveCaptionModel(
  model: CaptionModel,
  handler: tf.io.IOHandler,
  opts: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  return saveParams(model.params, { format: CAPTION_FORMAT, config: model.config }, handler, opts);
}

/** Load a caption model saved by {@link saveCaptionModel}. */
export async function loadCaptionModel(
  handler: tf.io.IOHandler,
  where = 'model.json',
): Promise<{ model: CaptionModel; userDefinedMetadata?: Record<string, unknown> }> {
  return loadModel(
    handler,
    CAPTION_FORMAT,
    (config, data) => {
      const c = { ...DEFAULT_CAPTION_CONFIG, ...(config as Partial<CaptionConfig>) };
      // Refuse impossible configs before allocating: embeddings, recurrent kernel and output layer
      // need ≥ 1 byte per value, and every image is resized to imageSize² before the CNN.
      const atLeast = c.vocab * c.embDim + c.hidden * c.vocab + 4 * c.hidden * c.hidden + c.vocab;
      if (!(c.imageSize >= 1 && c.imageSize <= MAX_IMAGE_SIZE)) {
        throw new Error(
          `${where}: invalid caption config: imageSize must be in 1..${MAX_IMAGE_SIZE}, got ${JSON.stringify(c.imageSize)}`,
        );
      }
      if (!(atLeast <= data.bytes)) {
        throw new Error(
          `${where}: weight data is ${data.bytes} bytes, too small for this config (vocab ${c.vocab}, embDim ${c.embDim}, hidden ${c.hidden} need at least ${atLeast} weight values): truncated shard or corrupt config; refusing to build the model`,
        );
      }
      try {
        return new CaptionModel(c);
      } catch (e) {
        throw new Error(`${where}: invalid caption config: ${(e as Error).message}`);
      }
    },
    where,
  );
}
