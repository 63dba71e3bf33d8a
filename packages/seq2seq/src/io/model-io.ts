// Seq2Seq save/load: config in modelTopology, parameters in the tfjs weightsManifest, through any tf.io.IOHandler.
import type * as tf from '@tensorflow/tfjs-core';
import { resolveConfig, type Seq2SeqConfig } from '../model/config';
import { Seq2Seq } from '../model/seq2seq';
import { loadModel, type SaveOptions, saveParams } from './serialize';

/** `format` / `modelTopology.format` of a saved Seq2Seq. */
export const SEQ2SEQ_FORMAT = 'seqlab-seq2seq';

/**
 * Save a model: float32 by default, or float16 / 8-bit affine ('uint8', alias 'int8').
 *
 * @example
 * await saveSeq2Seq(model, fileHandler('models/en-es'), { quantization: 'float16', userDefinedMetadata: { vocab: 'vocab.json' } });
 */
export async function saveSeq2Seq(
  model: Seq2Seq,
  handler: tf.io.IOHandler,
  opts: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  if (model.isDisposed) throw new Error('saveSeq2Seq: model used after dispose()');
  return saveParams(model.params, { format: SEQ2SEQ_FORMAT, config: model.config }, handler, opts);
}

/**
 * Load a model saved by {@link saveSeq2Seq} (tf.io.fromMemory, tf.io.http, the Node `fileHandler`, …).
 *
 * @example
 * const model = await loadSeq2Seq(tf.io.http('/models/en-es/model.json'));
 */
export async function loadSeq2Seq(
  handler: tf.io.IOHandler,
  where = 'model.json',
): Promise<{ model: Seq2Seq; userDefinedMetadata?: Record<string, unknown> }> {
  return loadModel(
    handler,
    SEQ2SEQ_FORMAT,
    (config, data) => {
      let c: Seq2SeqConfig;
      try {
        c = resolveConfig(config as Partial<Seq2SeqConfig>);
      } catch (e) {
        throw new Error(`${where}: invalid config: ${(e as Error).message}`);
      }
      // Weights every config has (embeddings, recurrent kernels, output bias), ≥ 1 byte each.
      const atLeast =
        c.srcVocab * c.embDim +
        c.tgtVocab * c.embDim +
        4 * c.encoderHidden * c.encoderHidden +
        4 * c.hidden * c.hidden +
        c.tgtVocab +
        (c.attention === 'additive' ? c.hidden * c.attentionDim : 0);
      if (atLeast > data.bytes) {
        throw new Error(
          `${where}: weight data is ${data.bytes} bytes, too small for this config (it needs at least ${atLeast} weight values): truncated shard or corrupt config; refusing to build the model`,
        );
      }
      return new Seq2Seq(c);
    },
    where,
  );
}
