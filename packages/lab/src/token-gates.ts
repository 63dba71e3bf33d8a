// Gate recording over token ids: embed, then run rnn's recordLSTMGates (any embedding + LSTM pair,
// e.g. a translator encoder's first layer or the language-ID model).
import {
  embeddingLookup,
  type LSTMGateRecord,
  type LSTMWeights,
  recordLSTMGates,
} from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The gates, cell and hidden state of an LSTM reading the embedded `ids` ([step][0][unit]).
 * @example const rec = gatesOverTokens(encoder.weights().embedding, encoder.weights().fwd[0], ids);
 */
export function gatesOverTokens(
  embedding: tf.Tensor2D,
  weights: LSTMWeights,
  ids: readonly number[],
): LSTMGateRecord {
  if (ids.length === 0)
    throw new Error('gatesOverTokens: expected at least one token id, got none');
  const v = embedding.shape[0];
  const bad = ids.find((i) => !Number.isInteger(i) || i < 0 || i >= v);
  if (bad !== undefined) throw new Error(`gatesOverTokens: token id ${bad} outside 0..${v - 1}`);
  const x = tf.tidy(
    () =>
      embeddingLookup(
        embedding,
        tf.tensor2d([ids as number[]], [1, ids.length], 'int32'),
      ) as tf.Tensor3D,
  );
  try {
    return recordLSTMGates(x, weights);
  } finally {
    x.dispose();
  }
}
