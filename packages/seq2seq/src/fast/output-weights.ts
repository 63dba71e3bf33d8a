// The decoder's output layer as one host matrix [hidden, V], with tied embeddings folded in.
import * as tf from '@tensorflow/tfjs-core';
import type { Decoder } from '../model/decoder';

/** The output layer's weights [hidden, V] on the host (tied: projection × embeddingᵀ). */
export function outputWeights(decoder: Decoder): Float32Array {
  const w = decoder.weights();
  if (!decoder.cfg.tieEmbeddings) return w.out.w.dataSync() as Float32Array;
  const m = tf.matMul(w.out.w as tf.Tensor2D, w.embedding as tf.Tensor2D, false, true);
  try {
    return m.dataSync() as Float32Array;
  } finally {
    m.dispose();
  }
}
