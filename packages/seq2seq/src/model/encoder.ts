// Text encoder: token embedding + stacked (bi)LSTM with PAD masking → memory, mask and a summary vector for the decoder bridge.

import { PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { type DropoutCtx, dropout, embed } from './layers';
import { embeddingInit, type ParamStore } from './params';
import { initLSTMWeights, type LSTMWeights, lstmTimeMajor } from './recurrent';

export interface EncoderConfig {
  vocab: number;
  embDim: number;
  /** Units per direction. */
  hidden: number;
  layers: number;
  bidirectional: boolean;
}

/** What the decoder needs from any encoder (text or image). */
export interface EncoderOutput {
  memory: tf.Tensor3D; // [b, S, d]
  mask: tf.Tensor2D; // [b, S] float 1 = real token, 0 = PAD
  /** Final top-layer hidden state ([fwd; bwd] when bidirectional), input to the decoder bridge. */
  summary: tf.Tensor2D; // [b, d]
}

/**
 * An encoder that runs outside tensors (fast/'s host encoder) and returns what {@link Encoder.encode}
 * does, as row-major arrays: memory [b, S, d], mask [b, S], summary [b, d].
 */
export interface ArrayEncoder {
  encode(ids: readonly (readonly number[])[]): {
    memory: Float32Array;
    mask: Float32Array;
    summary: Float32Array;
  };
}

/** An encoder's weights by role: token embedding [V, E] and per-layer LSTM weights per direction. */
export interface EncoderWeights {
  embedding: tf.Variable;
  fwd: readonly LSTMWeights[];
  /** Empty unless bidirectional. */
  bwd: readonly LSTMWeights[];
}

/**
 * @example
 * const enc = new Encoder({ vocab: 30, embDim: 8, hidden: 16, layers: 1, bidirectional: true }, params, 'encoder', 1);
 * const { memory, mask, summary } = enc.encode(tf.tensor2d([[5, 6, 2, 0]], undefined, 'int32'));
 */
export class Encoder {
  readonly cfg: EncoderConfig;
  private readonly embedding: tf.Variable;
  private readonly fwd: LSTMWeights[] = [];
  private readonly bwd: LSTMWeights[] = [];

  constructor(cfg: EncoderConfig, params: ParamStore, prefix: string, seed: number) {
    this.cfg = cfg;
    this.embedding = params.add(
      `${prefix}/embedding`,
      embeddingInit([cfg.vocab, cfg.embDim], seed),
    );
    const dirs = cfg.bidirectional ? 2 : 1;
    for (let l = 0; l < cfg.layers; l++) {
      const inSize = l === 0 ? cfg.embDim : cfg.hidden * dirs;
      for (let d = 0; d < dirs; d++) {
        const w = initLSTMWeights(inSize, cfg.hidden, { seed: seed + 100 * (l + 1) + 10 * d });
        const name = `${prefix}/layer${l}/${d === 0 ? 'fwd' : 'bwd'}`;
        const reg: LSTMWeights = {
          kernel: params.add(`${name}/kernel`, w.kernel) as tf.Variable<tf.Rank.R2>,
          recurrentKernel: params.add(
            `${name}/recurrent_kernel`,
            w.recurrentKernel,
          ) as tf.Variable<tf.Rank.R2>,
          bias: params.add(`${name}/bias`, w.bias) as tf.Variable<tf.Rank.R1>,
        };
        (d === 0 ? this.fwd : this.bwd).push(reg);
      }
    }
  }

  /**
   * The encoder's weights, by role (the live variables: read them, do not dispose them). Fast
   * decoding (fast/) copies them to the host.
   */
  weights(): EncoderWeights {
    return { embedding: this.embedding, fwd: this.fwd, bwd: this.bwd };
  }

  /** Width of each memory slot. */
  get memoryDim(): number {
    return this.cfg.hidden * (this.cfg.bidirectional ? 2 : 1);
  }

  /** Encode right-padded int32 ids [b, S] (PAD = 0). */
  encode(src: tf.Tensor2D, drop?: DropoutCtx): EncoderOutput {
    if (src.rank !== 2)
      throw new Error(
        `Encoder.encode: expected int32 ids [batch, srcLen], got shape [${src.shape}]`,
      );
    return tf.tidy(() => {
      const mask = tf.cast(tf.notEqual(src, PAD), 'float32') as tf.Tensor2D; // [b, S]
      // Time-major throughout: per-step slices along axis 0 are contiguous (fast on every backend).
      let x = dropout(embed(this.embedding as tf.Tensor2D, tf.transpose(src)) as tf.Tensor3D, drop); // [S, b, E]
      let summary: tf.Tensor2D | null = null;
      for (let l = 0; l < this.cfg.layers; l++) {
        if (l > 0) x = dropout(x, drop);
        const f = lstmTimeMajor(x, this.fwd[l] as LSTMWeights, { mask, returnSequences: true });
        if (this.cfg.bidirectional) {
          const b = lstmTimeMajor(x, this.bwd[l] as LSTMWeights, {
            mask,
            goBackwards: true,
            returnSequences: true,
          });
          const bSeq = tf.reverse(b.sequence as tf.Tensor3D, 0); // processing order → time order
          x = tf.concat([f.sequence as tf.Tensor3D, bSeq], 2); // [S, b, 2h]
          summary = tf.concat([f.h, b.h], 1) as tf.Tensor2D; // [b, 2h]
        } else {
          x = f.sequence as tf.Tensor3D; // [S, b, h]
          summary = f.h;
        }
      }
      x = tf.transpose(x, [1, 0, 2]); // [b, S, d]
      return { memory: x, mask, summary: summary as tf.Tensor2D };
    });
  }
}
