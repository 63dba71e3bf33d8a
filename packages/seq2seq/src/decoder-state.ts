// Decoder state types and batch-row helpers (tile for beams, reorder by backpointers, dispose).
import * as tf from '@tensorflow/tfjs-core';
import { tidy } from './layers';
import type { LSTMState } from './recurrent';

/** Per-input constants, computed once by {@link Decoder.init} and reused at every step. */
export interface DecoderMemory {
  memory: tf.Tensor3D; // [b, T, d]
  mask: tf.Tensor2D; // [b, T] 0/1 floats
  keys: tf.Tensor3D | null; // [b, T, a] precomputed attention projection
  /**
   * Row blocks of the first layer's kernel, sliced once per input for {@link Decoder.step}:
   * fresh slices every step cost a copy each, and on wasm also a re-pack of the matmul weights.
   */
  kEmb: tf.Tensor2D; // [E, 4u]
  kFeed: tf.Tensor2D | null; // [hidden, 4u]
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
    keys: mem.keys ? tf.gather(mem.keys, idx) : null,
    kEmb: mem.kEmb.clone(),
    kFeed: mem.kFeed ? mem.kFeed.clone() : null,
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
  tf.dispose([
    mem.memory,
    mem.mask,
    mem.kEmb,
    ...(mem.keys ? [mem.keys] : []),
    ...(mem.kFeed ? [mem.kFeed] : []),
  ]);
}

export function disposeState(state: DecoderState): void {
  tf.dispose([state.feed, ...state.layers.flatMap((s) => [s.h, s.c])]);
}
