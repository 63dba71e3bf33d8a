// Decoder state types and batch-row helpers (tile for beams, reorder by backpointers, dispose).
import * as tf from '@tensorflow/tfjs-core';
import { tidy } from './layers';
import type { LSTMState } from './recurrent';

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
