// Decoder types (config, weights, memory, state, step output) and batch-row helpers (tile for beams, reorder by backpointers, dispose).
import * as tf from '@tensorflow/tfjs-core';
import type { Attention } from './attention';
import type { AttentionKind } from './config';
import { tidy } from './layers';
import type { LSTMState, LSTMWeights } from './recurrent';

/** Per-input constants, computed once by {@link Decoder.init} and reused at every step. */
export interface DecoderMemory {
  memory: tf.Tensor3D; // [b, T, d]
  mask: tf.Tensor2D; // [b, T] 0/1 floats
  /** Additive attention-logit bias: 0 where mask is 1, a large negative number where it is 0. */
  maskBias: tf.Tensor2D; // [b, T]
  keys: tf.Tensor3D | null; // [b, T, a] precomputed attention projection
}

/** Recurrent state carried between steps. */
export interface DecoderState {
  layers: LSTMState[]; // per layer h, c [b, hidden]
  /** Previous attentional vector h̃ (input feeding); zeros before the first step. */
  feed: tf.Tensor2D; // [b, hidden]
}

/** Keep only the batch rows `idx` (int32 [n]) of a memory, e.g. to tile a single input across beams. */
export function gatherMemory(mem: DecoderMemory, idx: tf.Tensor1D): DecoderMemory {
  return tidy(() => ({
    memory: tf.gather(mem.memory, idx),
    mask: tf.gather(mem.mask, idx),
    maskBias: tf.gather(mem.maskBias, idx),
    keys: mem.keys ? tf.gather(mem.keys, idx) : null,
  }));
}

/** Reorder/select the batch rows of a state (beam backpointers). */
export function gatherState(state: DecoderState, idx: tf.Tensor1D): DecoderState {
  return tf.tidy(() => ({
    layers: state.layers.map((s) => ({ h: tf.gather(s.h, idx), c: tf.gather(s.c, idx) })),
    feed: tf.gather(state.feed, idx),
  }));
}

export function disposeMemory(mem: DecoderMemory): void {
  tf.dispose([mem.memory, mem.mask, mem.maskBias, ...(mem.keys ? [mem.keys] : [])]);
}

export function disposeState(state: DecoderState): void {
  tf.dispose([state.feed, ...state.layers.flatMap((s) => [s.h, s.c])]);
}

export interface DecoderConfig {
  vocab: number;
  embDim: number;
  hidden: number;
  layers: number;
  /** Width d of each memory slot (text: encoder output; captioning: CNN channels). */
  memoryDim: number;
  /** Width of the summary vector the bridge maps to initial states (text: encoder summary; captioning: pooled features). */
  bridgeDim: number;
  attention: AttentionKind;
  attentionDim: number;
  tieEmbeddings: boolean;
  /** Luong input feeding (default true); false lets teacher forcing run as one fused LSTM pass. */
  inputFeeding?: boolean;
}

/** A decoder's weights by role (see {@link Decoder.weights}). */
export interface DecoderWeights {
  /** Target embedding [V, E]. */
  embedding: tf.Variable;
  cells: readonly LSTMWeights[];
  attention: Attention | null;
  /** h̃ = tanh([h; ctx] W + b): W [hidden + d, hidden]; null without attention. */
  combine: { w: tf.Variable; b: tf.Variable } | null;
  /** Output layer: w [hidden, V] (tied: [hidden, E], then the embedding transposed), b [V]. */
  out: { w: tf.Variable; b: tf.Variable };
  /** Per layer, the bridge from a summary vector: h0 = tanh(s wh + bh), c0 = s wc + bc (wh, wc [bridgeDim, hidden]). */
  bridge: readonly { wh: tf.Variable; bh: tf.Variable; wc: tf.Variable; bc: tf.Variable }[];
  /** Whether h̃ is fed back into the first layer (input feeding). */
  feeds: boolean;
}

export interface StepOutput {
  state: DecoderState;
  logits: tf.Tensor2D; // [b, V]
  attention: tf.Tensor2D | null; // [b, T]
}
