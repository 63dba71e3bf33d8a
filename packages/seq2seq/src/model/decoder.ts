// Attention decoder over an arbitrary memory [b, T, d]: Luong-style input feeding, bridge from a summary vector, step and teacher-forced passes.
import * as tf from '@tensorflow/tfjs-core';
import { Attention, maskBias } from './attention';
import type {
  DecoderConfig,
  DecoderMemory,
  DecoderState,
  DecoderWeights,
  StepOutput,
} from './decoder-state';
import { type DropoutCtx, dense3d, dropout, embed, tidy } from './layers';
import { embeddingInit, glorotUniform, type ParamStore } from './params';
import {
  initLSTMWeights,
  type LSTMState,
  type LSTMWeights,
  lstmCell,
  lstmGatesStep,
  lstmTimeMajor,
} from './recurrent';

export * from './decoder-state';

/**
 * The decoder is independent of the text encoder so captioning can reuse it with a CNN grid.
 *
 * Design (Luong et al. 2015 with input feeding): at step t the LSTM stack reads
 * `[emb(y_{t-1}); h̃_{t-1}]`, the top state `h_t` queries the memory, and
 * `h̃_t = tanh(W_c [h_t; ctx_t])` feeds both the output layer and the next step.
 * We chose input feeding over Bahdanau's "query with h_{t-1}" because the attention
 * read then sees the current token, and the output projection still runs once over
 * all steps during training (logits = H̃ W_out over [b, L, hidden]).
 * With attention 'none', `h̃_t = h_t` and nothing is fed back.
 *
 * @example
 * const { mem, state } = dec.init(memory, mask, summary);
 * const { logits } = dec.teacherForced(mem, state, tgtIn);   // [b, L, V]
 */
export class Decoder {
  readonly cfg: DecoderConfig;
  private readonly embedding: tf.Variable; // [V, E]
  private readonly cells: LSTMWeights[] = [];
  private readonly attention: Attention | null;
  private readonly combine: { w: tf.Variable; b: tf.Variable } | null; // [hidden + d, hidden]
  private readonly bridge: {
    wh: tf.Variable;
    bh: tf.Variable;
    wc: tf.Variable;
    bc: tf.Variable;
  }[] = [];
  private readonly outW: tf.Variable; // [hidden, V] or tied projection [hidden, E]
  private readonly outB: tf.Variable; // [V]

  constructor(cfg: DecoderConfig, params: ParamStore, prefix: string, seed: number) {
    this.cfg = cfg;
    const { vocab, embDim, hidden, layers, memoryDim } = cfg;
    this.embedding = params.add(`${prefix}/embedding`, embeddingInit([vocab, embDim], seed));
    const feeds = cfg.attention !== 'none' && cfg.inputFeeding !== false;
    for (let l = 0; l < layers; l++) {
      const inSize = l === 0 ? embDim + (feeds ? hidden : 0) : hidden;
      const w = initLSTMWeights(inSize, hidden, { seed: seed + 100 * (l + 1) });
      this.cells.push({
        kernel: params.add(`${prefix}/layer${l}/kernel`, w.kernel) as tf.Variable<tf.Rank.R2>,
        recurrentKernel: params.add(
          `${prefix}/layer${l}/recurrent_kernel`,
          w.recurrentKernel,
        ) as tf.Variable<tf.Rank.R2>,
        bias: params.add(`${prefix}/layer${l}/bias`, w.bias) as tf.Variable<tf.Rank.R1>,
      });
      this.bridge.push({
        wh: params.add(
          `${prefix}/bridge${l}/h_kernel`,
          glorotUniform([cfg.bridgeDim, hidden], seed + 500 + l),
        ),
        bh: params.add(`${prefix}/bridge${l}/h_bias`, tf.zeros([hidden])),
        wc: params.add(
          `${prefix}/bridge${l}/c_kernel`,
          glorotUniform([cfg.bridgeDim, hidden], seed + 600 + l),
        ),
        bc: params.add(`${prefix}/bridge${l}/c_bias`, tf.zeros([hidden])),
      });
    }
    if (cfg.attention !== 'none') {
      this.attention = new Attention(
        cfg.attention,
        hidden,
        memoryDim,
        cfg.attentionDim,
        params,
        `${prefix}/attention`,
        seed + 700,
      );
      this.combine = {
        w: params.add(
          `${prefix}/combine/kernel`,
          glorotUniform([hidden + memoryDim, hidden], seed + 800),
        ),
        b: params.add(`${prefix}/combine/bias`, tf.zeros([hidden])),
      };
    } else {
      this.attention = null;
      this.combine = null;
    }
    this.outW = params.add(
      `${prefix}/out/kernel`,
      glorotUniform([hidden, cfg.tieEmbeddings ? embDim : vocab], seed + 900),
    );
    this.outB = params.add(`${prefix}/out/bias`, tf.zeros([vocab]));
  }

  /**
   * Prepare per-input constants and the initial state.
   * `initState` is either a summary vector [b, bridgeDim] (mapped through the learned bridge)
   * or explicit per-layer states.
   */
  init(
    memory: tf.Tensor3D,
    mask: tf.Tensor2D,
    initState: tf.Tensor2D | LSTMState[],
  ): { mem: DecoderMemory; state: DecoderState } {
    if (memory.rank !== 3 || memory.shape[2] !== this.cfg.memoryDim) {
      throw new Error(
        `Decoder.init: expected memory [batch, T, ${this.cfg.memoryDim}], got [${memory.shape}]`,
      );
    }
    if (mask.rank !== 2 || mask.shape[0] !== memory.shape[0] || mask.shape[1] !== memory.shape[1]) {
      throw new Error(
        `Decoder.init: expected mask [${memory.shape[0]}, ${memory.shape[1]}], got [${mask.shape}]`,
      );
    }
    return tidy(() => {
      const b = memory.shape[0];
      let layers: LSTMState[];
      if (Array.isArray(initState)) {
        if (initState.length !== this.cfg.layers)
          throw new Error(
            `Decoder.init: expected ${this.cfg.layers} layer states, got ${initState.length}`,
          );
        layers = initState.map((s) => ({ h: s.h.clone(), c: s.c.clone() }));
      } else {
        if (
          initState.rank !== 2 ||
          initState.shape[1] !== this.cfg.bridgeDim ||
          initState.shape[0] !== b
        ) {
          throw new Error(
            `Decoder.init: expected summary [${b}, ${this.cfg.bridgeDim}], got [${initState.shape}]`,
          );
        }
        layers = this.bridge.map((br) => ({
          h: tf.tanh(tf.add(tf.matMul(initState, br.wh as tf.Tensor2D), br.bh)) as tf.Tensor2D, // [b, hidden]
          c: tf.add(tf.matMul(initState, br.wc as tf.Tensor2D), br.bc) as tf.Tensor2D, // [b, hidden]
        }));
      }
      const maskF =
        mask.dtype === 'float32' ? mask.clone() : (tf.cast(mask, 'float32') as tf.Tensor2D);
      const keys = this.attention ? this.attention.precompute(memory) : null;
      return {
        mem: { memory: memory.clone(), mask: maskF, maskBias: maskBias(maskF), keys },
        state: { layers, feed: tf.zeros([b, this.cfg.hidden]) },
      };
    });
  }

  /**
   * One step for int32 tokens [b]; returns new tensors (the inputs stay owned by the caller).
   * The first layer's input part is one matmul of `[emb(y); h̃]` by its kernel, and the gates one
   * kernel on cpu/wasm: per-op overhead, not arithmetic, dominates a single sentence's decoding.
   */
  step(
    mem: DecoderMemory,
    state: DecoderState,
    tokens: tf.Tensor1D,
    drop?: DropoutCtx,
  ): StepOutput {
    return tidy(() => {
      const r = this.stepFeatures(mem, state, tokens, drop);
      const logits = this.project(dropout(r.state.feed, drop)); // [b, V]
      return { state: r.state, logits, attention: r.attention };
    });
  }

  /**
   * {@link step} without the output layer: the new state (its `feed` is h̃ [b, hidden], what the
   * output layer reads) and the attention weights. Fast decoding projects `feed` itself with its
   * int8 output layer.
   */
  stepFeatures(
    mem: DecoderMemory,
    state: DecoderState,
    tokens: tf.Tensor1D,
    drop?: DropoutCtx,
  ): { state: DecoderState; attention: tf.Tensor2D | null } {
    return tidy(() => {
      const e = dropout(embed(this.embedding as tf.Tensor2D, tokens) as tf.Tensor2D, drop); // [b, E]
      const s0 = state.layers[0] as LSTMState;
      const first = this.cells[0] as LSTMWeights;
      // The variables themselves as matmul weights: wasm caches their packed form across calls
      // (a per-input concat or slice would be re-packed for every sentence).
      const zx = tf.matMul(this.feeds ? tf.concat([e, state.feed], 1) : e, first.kernel);
      const z = tf.add(
        tf.add(zx, tf.matMul(s0.h, first.recurrentKernel)),
        first.bias,
      ) as tf.Tensor2D; // [b, 4u]
      return this.afterFirstGates(mem, state, z, drop);
    });
  }

  /**
   * The decoder's weights, by role (the live variables: read them, do not dispose them). Fast
   * decoding (fast/) copies them to the host.
   */
  weights(): DecoderWeights {
    return {
      embedding: this.embedding,
      cells: this.cells,
      attention: this.attention,
      combine: this.combine,
      out: { w: this.outW, b: this.outB },
      bridge: this.bridge,
      feeds: this.feeds,
    };
  }

  /**
   * Teacher forcing over decoder inputs `tgtIn` [b, L] (BOS + target without its last token).
   * The recurrence runs step by step; the vocabulary projection runs once over all steps.
   * Returns [b, L, …] tensors, or [L, b, …] with `timeMajor` (saves a transpose for the loss).
   */
  teacherForced(
    mem: DecoderMemory,
    state: DecoderState,
    tgtIn: tf.Tensor2D,
    drop?: DropoutCtx,
    opts: { timeMajor?: boolean } = {},
  ): { logits: tf.Tensor3D; attention: tf.Tensor3D | null } {
    if (!this.feeds) return this.teacherForcedParallel(mem, state, tgtIn, drop, opts);
    return tidy(() => {
      // Time-major internally: per-step slices along axis 0 are contiguous, which the cpu backend needs to be fast.
      const embs = dropout(
        embed(this.embedding as tf.Tensor2D, tf.transpose(tgtIn)) as tf.Tensor3D,
        drop,
      ); // [L, b, E]
      // The token part of the first layer's input projection runs once for all steps.
      const proj = tf.unstack(
        dense3d(embs, this.embKernel(), this.cells[0]?.bias as tf.Tensor1D),
        0,
      ) as tf.Tensor2D[]; // L x [b, 4u]
      const kf = this.feeds ? this.feedKernel() : null; // sliced once, not per step
      let s = state;
      const feeds: tf.Tensor2D[] = [];
      const atts: tf.Tensor2D[] = [];
      for (const p of proj) {
        const r = this.cellStep(mem, s, p, kf, drop);
        s = r.state;
        feeds.push(s.feed);
        if (r.attention) atts.push(r.attention);
      }
      const H = dropout(tf.stack(feeds, 0) as tf.Tensor3D, drop); // [L, b, hidden]
      const [L, b] = [H.shape[0], H.shape[1]];
      let logits = tf.reshape(this.project(tf.reshape(H, [L * b, -1]) as tf.Tensor2D), [
        L,
        b,
        this.cfg.vocab,
      ]) as tf.Tensor3D; // [L, b, V]
      let attention = atts.length ? (tf.stack(atts, 0) as tf.Tensor3D) : null; // [L, b, T]
      if (!opts.timeMajor) {
        logits = tf.transpose(logits, [1, 0, 2]); // [b, L, V]
        attention = attention ? tf.transpose(attention, [1, 0, 2]) : null; // [b, L, T]
      }
      return { logits, attention };
    });
  }

  /** Whether the attentional vector is fed back into the first LSTM layer. */
  private get feeds(): boolean {
    return this.attention !== null && this.cfg.inputFeeding !== false;
  }

  /**
   * Teacher forcing without input feeding: each LSTM layer runs over all steps as one fused op
   * (hand-written backward in @seqlab/rnn), then attention, the combine layer and the output
   * projection run once over [b, L, …]. Same maths as stepping with `step()`.
   */
  private teacherForcedParallel(
    mem: DecoderMemory,
    state: DecoderState,
    tgtIn: tf.Tensor2D,
    drop: DropoutCtx | undefined,
    opts: { timeMajor?: boolean },
  ): { logits: tf.Tensor3D; attention: tf.Tensor3D | null } {
    return tidy(() => {
      let x = dropout(
        embed(this.embedding as tf.Tensor2D, tf.transpose(tgtIn)) as tf.Tensor3D,
        drop,
      ); // [L, b, E]
      for (let l = 0; l < this.cfg.layers; l++) {
        if (l > 0) x = dropout(x, drop);
        const s = state.layers[l] as LSTMState;
        x = lstmTimeMajor(x, this.cells[l] as LSTMWeights, {
          initialState: { h: s.h, c: s.c },
          returnSequences: true,
        }).sequence as tf.Tensor3D; // [L, b, hidden]
      }
      const [L, b] = [x.shape[0], x.shape[1]];
      let H: tf.Tensor3D; // [L, b, hidden] attentional vectors
      let attention: tf.Tensor3D | null = null; // [b, L, T]
      if (this.attention && this.combine && mem.keys) {
        const q = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D; // [b, L, hidden]
        const read = this.attention.attendAll(q, mem.keys, mem.memory, mem.mask);
        attention = read.weights;
        const h = tf.tanh(
          dense3d(
            tf.concat([q, read.context], 2) as tf.Tensor3D,
            this.combine.w as tf.Tensor2D,
            this.combine.b as tf.Tensor1D,
          ),
        ); // [b, L, hidden]
        H = tf.transpose(h, [1, 0, 2]) as tf.Tensor3D; // [L, b, hidden]
      } else H = x;
      H = dropout(H, drop);
      let logits = tf.reshape(this.project(tf.reshape(H, [L * b, -1]) as tf.Tensor2D), [
        L,
        b,
        this.cfg.vocab,
      ]) as tf.Tensor3D; // [L, b, V]
      if (!opts.timeMajor)
        logits = tf.transpose(logits, [1, 0, 2]); // [b, L, V]
      else if (attention) attention = tf.transpose(attention, [1, 0, 2]); // [L, b, T]
      return { logits, attention };
    });
  }

  /** Rows of the first layer's kernel that multiply the token embedding. */
  private embKernel(): tf.Tensor2D {
    const k = (this.cells[0] as LSTMWeights).kernel;
    return tf.slice(k, [0, 0], [this.cfg.embDim, k.shape[1]]);
  }

  /** Rows of the first layer's kernel that multiply the fed-back attentional vector. */
  private feedKernel(): tf.Tensor2D {
    const k = (this.cells[0] as LSTMWeights).kernel;
    return tf.slice(k, [this.cfg.embDim, 0], [this.cfg.hidden, k.shape[1]]);
  }

  /** `xProj` = token embedding @ kernel[:E] + bias for layer 0 [b, 4u]. */
  private cellStep(
    mem: DecoderMemory,
    state: DecoderState,
    xProj: tf.Tensor2D,
    feedKernel: tf.Tensor2D | null,
    drop?: DropoutCtx,
  ): { state: DecoderState; attention: tf.Tensor2D | null } {
    const first = this.cells[0] as LSTMWeights;
    const s0 = state.layers[0] as LSTMState;
    let z = tf.add(xProj, tf.matMul(s0.h, first.recurrentKernel)); // [b, 4u]
    if (feedKernel) z = tf.add(z, tf.matMul(state.feed, feedKernel));
    return this.afterFirstGates(mem, state, z as tf.Tensor2D, drop);
  }

  /** From layer 0's pre-activation z [b, 4u]: gates, the upper layers, attention and h̃. */
  private afterFirstGates(
    mem: DecoderMemory,
    state: DecoderState,
    z: tf.Tensor2D,
    drop?: DropoutCtx,
  ): { state: DecoderState; attention: tf.Tensor2D | null } {
    const layers: LSTMState[] = [lstmGatesStep(z, (state.layers[0] as LSTMState).c)];
    let x = (layers[0] as LSTMState).h;
    for (let l = 1; l < this.cfg.layers; l++) {
      x = dropout(x, drop);
      const s = lstmCell(x, state.layers[l] as LSTMState, this.cells[l] as LSTMWeights);
      layers.push(s);
      x = s.h;
    }
    if (!this.attention || !this.combine || !mem.keys)
      return { state: { layers, feed: x }, attention: null };
    const { context, weights } = this.attention.attend(x, mem.keys, mem.memory, mem.maskBias);
    const feed = tf.tanh(
      tf.add(tf.matMul(tf.concat([x, context], 1), this.combine.w as tf.Tensor2D), this.combine.b),
    ) as tf.Tensor2D; // [b, hidden]
    return { state: { layers, feed }, attention: weights };
  }

  /** [n, hidden] → [n, V]. */
  private project(h: tf.Tensor2D): tf.Tensor2D {
    const z = tf.matMul(h, this.outW as tf.Tensor2D); // [n, V] or [n, E]
    const logits = this.cfg.tieEmbeddings
      ? tf.matMul(z, this.embedding as tf.Tensor2D, false, true)
      : z; // [n, V]
    return tf.add(logits, this.outB) as tf.Tensor2D;
  }
}
