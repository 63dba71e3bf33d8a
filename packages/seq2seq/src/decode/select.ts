// Token selection on the host (greedy and beam search on cpu/wasm): shared defaults and maths.

import { simdLogSumExp } from '@seqlab/kernels';
import * as tf from '@tensorflow/tfjs-core';
import type { HostDecodingStart } from '../fast/host-decoder';
import type { Int8Head } from '../fast/int8-head';
import type { Decoder } from '../model/decoder';
import { type DecoderMemory, type DecoderState, disposeState } from '../model/decoder-state';

/**
 * Whether decoding picks tokens on the host by default: on cpu and wasm, where reading a step's
 * logits is a memory copy; not on webgl/webgpu, where a per-step read stalls the GPU pipeline.
 */
export function hostSelectByDefault(): boolean {
  return ['cpu', 'wasm'].includes(tf.getBackend());
}

/** log Σ exp(row), computed stably: `row[k] - logNormalizer(row)` is log softmax(row)[k]. */
export function logNormalizer(row: Float32Array): number {
  return simdLogSumExp(row) ?? logNormalizerJs(row);
}

/** {@link logNormalizer} in plain JS (Math.exp); the fallback where WebAssembly SIMD is absent. */
export function logNormalizerJs(row: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < row.length; k++) if ((row[k] as number) > max) max = row[k] as number;
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += Math.exp((row[k] as number) - max);
  return max + Math.log(sum);
}

/** One decoder step read onto the host: what greedy and beam search pick from. */
export interface HostStep {
  state: DecoderState;
  /** [b, V] logits (from the int8 head when the decoder has one: call `refine` before ranking). */
  logits: Float32Array;
  /** [b, T] attention weights, or null without attention. */
  attention: Float32Array | null;
  /**
   * Make row r's logits exact wherever they decide its `n` best ids among the allowed ones (never
   * PAD or BOS; only `allowed` when given). A no-op for the float32 layer, whose logits are exact.
   */
  refine(r: number, n: number, allowed: ReadonlySet<number> | null): void;
}

/**
 * Run one decoder step and read its logits and attention onto the host. With an int8 `head` (a
 * FastDecoder's) the output layer runs there instead of as a tensor op. The new state stays on
 * the backend, owned by the caller.
 */
export async function hostStep(
  decoder: Decoder,
  mem: DecoderMemory,
  state: DecoderState,
  input: tf.Tensor1D,
  head: Int8Head | null,
): Promise<HostStep> {
  if (!head) {
    const out = decoder.step(mem, state, input);
    try {
      const [logits, attention] = await Promise.all([
        out.logits.data() as Promise<Float32Array>,
        out.attention ? (out.attention.data() as Promise<Float32Array>) : null,
      ]);
      return { state: out.state, logits, attention, refine: () => {} };
    } catch (e) {
      disposeState(out.state);
      throw e;
    } finally {
      tf.dispose([out.logits, out.attention ?? []]);
    }
  }
  const out = decoder.stepFeatures(mem, state, input);
  try {
    const [feed, attention] = await Promise.all([
      out.state.feed.data() as Promise<Float32Array>,
      out.attention ? (out.attention.data() as Promise<Float32Array>) : null,
    ]);
    return { state: out.state, attention, ...head.scores(feed, out.state.feed.shape[0]) };
  } catch (e) {
    disposeState(out.state);
    throw e;
  } finally {
    out.attention?.dispose();
  }
}

/** The constants and state a host decoding starts from, read off the backend once. */
export async function readStart(
  mem: DecoderMemory,
  state: DecoderState,
): Promise<HostDecodingStart> {
  const [b, T] = mem.memory.shape;
  const [memory, keys, maskBias, feed, ...hc] = (await Promise.all([
    mem.memory.data(),
    mem.keys ? mem.keys.data() : Promise.resolve(null),
    mem.maskBias.data(),
    state.feed.data(),
    ...state.layers.flatMap((l) => [l.h.data(), l.c.data()]),
  ])) as (Float32Array | null)[];
  return {
    rows: b,
    T,
    memory: memory as Float32Array,
    keys: keys ?? null,
    maskBias: maskBias as Float32Array,
    feed: feed as Float32Array,
    layers: state.layers.map((_, l) => ({
      h: hc[2 * l] as Float32Array,
      c: hc[2 * l + 1] as Float32Array,
    })),
  };
}
