// Plain-JSON batches of token ids and their conversion to padded int32 tensors.

import { BOS, PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

/**
 * One training batch of id sequences. `tgt` rows end with EOS and carry no BOS;
 * rows may have different lengths (padded with PAD = 0 here).
 */
export interface Seq2SeqBatch {
  src: number[][];
  tgt: number[][];
}

/**
 * Throws unless `rows` is a non-empty batch of non-negative integer ids, below `vocab` when given
 * (the errors padIds gives; a model checks its source rows with its vocabulary, on every path).
 */
export function checkIds(rows: readonly (readonly number[])[], vocab?: number): void {
  if (rows.length === 0)
    throw new Error('padIds: expected at least one sequence, got an empty batch');
  rows.forEach((r, i) => {
    for (let j = 0; j < r.length; j++) {
      const v = r[j] as number;
      if (!Number.isInteger(v) || v < 0)
        throw new Error(
          `padIds: row ${i} position ${j}: expected a non-negative integer id, got ${v}`,
        );
      if (vocab !== undefined && v >= vocab)
        throw new Error(
          `padIds: row ${i} position ${j}: id ${v} outside the vocabulary [0, ${vocab})`,
        );
    }
  });
}

/** Right-pad id rows with PAD into an int32 [rows, maxLen] tensor. */
export function padIds(rows: readonly (readonly number[])[], minLen = 1): tf.Tensor2D {
  checkIds(rows);
  const len = Math.max(minLen, ...rows.map((r) => r.length));
  const buf = new Int32Array(rows.length * len).fill(PAD);
  rows.forEach((r, i) => {
    buf.set(r, i * len);
  });
  return tf.tensor2d(buf, [rows.length, len], 'int32');
}

/** Decoder inputs (BOS + tgt[:-1]) and outputs (tgt), both [b, L] int32. */
export function teacherForcingPair(tgt: readonly (readonly number[])[]): {
  input: tf.Tensor2D;
  output: tf.Tensor2D;
} {
  const output = padIds(tgt);
  const input = tf.tidy(() => {
    const [b, L] = output.shape;
    const bos = tf.fill([b, 1], BOS, 'int32');
    return tf.concat([bos, tf.slice(output, [0, 0], [b, L - 1])], 1) as tf.Tensor2D;
  });
  return { input, output };
}

/** Number of non-PAD target tokens in a batch. */
export function countTargetTokens(batch: Seq2SeqBatch): number {
  let n = 0;
  for (const r of batch.tgt) for (const v of r) if (v !== PAD) n++;
  return n;
}
