// Attention over an arbitrary memory [b, T, d]: additive (Bahdanau) and general dot (Luong), with the key projection precomputed once per sequence.
import * as tf from '@tensorflow/tfjs-core';
import type { AttentionKind } from './config';
import { glorotUniform, type ParamStore } from './params';

/** Large negative logit for masked positions; finite so a fully-masked row stays NaN-free. */
export const MASK_NEG = -1e9;

/** Result of one attention read. */
export interface AttentionRead {
  context: tf.Tensor2D; // [b, d]
  weights: tf.Tensor2D; // [b, T], rows sum to 1, zero where mask is 0
}

/**
 * Scores a decoder query against every memory slot.
 *
 * - additive: `e = vᵀ tanh(W_k m + W_q q)`; `W_k m` is precomputed per sequence.
 * - dot (Luong "general"): `e = qᵀ (W_k m)`; again `W_k m` is precomputed, so a step is one batched matmul.
 *
 * @example
 * const att = new Attention('additive', 16, 8, 12, params, 'att', 7);
 * const keys = att.precompute(memory);            // once per input
 * const bias = maskBias(mask);                   // once per input
 * const { context, weights } = att.attend(h, keys, memory, bias); // every step
 */
export class Attention {
  readonly kind: Exclude<AttentionKind, 'none'>;
  private readonly wk: tf.Variable; // [d, a] (dot: a = queryDim)
  private readonly wq: tf.Variable | null; // [q, a]
  private readonly v: tf.Variable | null; // [a, 1]

  constructor(
    kind: Exclude<AttentionKind, 'none'>,
    queryDim: number,
    memoryDim: number,
    attnDim: number,
    params: ParamStore,
    prefix: string,
    seed: number,
  ) {
    this.kind = kind;
    if (kind === 'additive') {
      this.wk = params.add(`${prefix}/wk`, glorotUniform([memoryDim, attnDim], seed));
      this.wq = params.add(`${prefix}/wq`, glorotUniform([queryDim, attnDim], seed + 1));
      this.v = params.add(`${prefix}/v`, glorotUniform([attnDim, 1], seed + 2));
    } else {
      this.wk = params.add(`${prefix}/wk`, glorotUniform([memoryDim, queryDim], seed));
      this.wq = null;
      this.v = null;
    }
  }

  /**
   * The key projection [d, a] (dot: a = queryDim), and the query projection and scoring vector
   * (additive; null for dot), for host-side decoding.
   */
  weights(): { wk: tf.Variable; wq: tf.Variable | null; v: tf.Variable | null } {
    return { wk: this.wk, wq: this.wq, v: this.v };
  }

  /** Project the memory once per sequence: [b, T, d] → [b, T, a]. */
  precompute(memory: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      const [b, t, d] = memory.shape;
      return tf.reshape(tf.matMul(tf.reshape(memory, [b * t, d]), this.wk as tf.Tensor2D), [
        b,
        t,
        -1,
      ]) as tf.Tensor3D; // [b, T, a]
    });
  }

  /**
   * One read: query [b, q], precomputed keys, memory [b, T, d], and the mask as an additive
   * logit bias [b, T] ({@link maskBias}: computed once per input, not per step).
   */
  attend(
    query: tf.Tensor2D,
    keys: tf.Tensor3D,
    memory: tf.Tensor3D,
    bias: tf.Tensor2D,
  ): AttentionRead {
    return tf.tidy(() => {
      const [b, t, a] = keys.shape;
      let scores: tf.Tensor2D; // [b, T]
      if (this.kind === 'additive') {
        const q = tf.expandDims(tf.matMul(query, this.wq as tf.Tensor2D), 1); // [b, 1, a]
        const e = tf.tanh(tf.add(keys, q)); // [b, T, a]
        scores = tf.reshape(tf.matMul(tf.reshape(e, [b * t, a]), this.v as tf.Tensor2D), [b, t]);
      } else {
        scores = tf.sum(tf.mul(keys, tf.expandDims(query, 1)), 2) as tf.Tensor2D; // [b, T]
      }
      const weights = tf.softmax(tf.add(scores, bias)) as tf.Tensor2D;
      // Broadcast-multiply + sum beats a [b,1,T]x[b,T,d] BatchMatMul for the small T and d we use (cpu/wasm).
      const context = tf.sum(tf.mul(tf.expandDims(weights, 2), memory), 1) as tf.Tensor2D; // [b, d]
      return { context, weights };
    });
  }

  /**
   * Reads for all L queries at once (teacher forcing without input feeding):
   * queries [b, L, q] → context [b, L, d], weights [b, L, T]. Same maths as L calls of attend().
   */
  attendAll(
    queries: tf.Tensor3D,
    keys: tf.Tensor3D,
    memory: tf.Tensor3D,
    mask: tf.Tensor2D,
  ): { context: tf.Tensor3D; weights: tf.Tensor3D } {
    return tf.tidy(() => {
      const [b, L, qd] = queries.shape;
      const [, t, a] = keys.shape;
      let scores: tf.Tensor3D; // [b, L, T]
      if (this.kind === 'additive') {
        const q = tf.reshape(tf.matMul(tf.reshape(queries, [b * L, qd]), this.wq as tf.Tensor2D), [
          b,
          L,
          1,
          a,
        ]);
        const e = tf.tanh(tf.add(tf.reshape(keys, [b, 1, t, a]), q)); // [b, L, T, a]
        scores = tf.reshape(tf.matMul(tf.reshape(e, [b * L * t, a]), this.v as tf.Tensor2D), [
          b,
          L,
          t,
        ]);
      } else {
        scores = tf.matMul(queries, keys, false, true) as tf.Tensor3D; // [b, L, T]
      }
      const weights = maskedSoftmax3d(scores, mask);
      const context = tf.matMul(weights, memory) as tf.Tensor3D; // [b, L, d]
      return { context, weights };
    });
  }
}

/** Masked softmax over the last axis of [b, L, T] scores with a [b, T] mask. */
function maskedSoftmax3d(scores: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor3D {
  return tf.tidy(() => tf.softmax(tf.add(scores, tf.expandDims(maskBias(mask), 1))) as tf.Tensor3D);
}

/** A 0/1 mask [b, T] as an additive logit bias: 0 where kept, a large negative number where masked. */
export function maskBias(mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(tf.sub(1, mask), MASK_NEG) as tf.Tensor2D);
}

/** Softmax over the last axis that gives exactly zero weight where mask is 0. */
export function maskedSoftmax(scores: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.add(scores, maskBias(mask))) as tf.Tensor2D);
}
