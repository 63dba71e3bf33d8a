// Batched greedy decoding with tokens kept on device and EOS checked only every few steps.

import { BOS, EOS, PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import type { FastDecoder } from '../fast/fast-decoder';
import type { HostDecodingStart, HostStepper, HostStepRead } from '../fast/host-decoder';
import type { Int8Head } from '../fast/int8-head';
import {
  type Decoder,
  type DecoderMemory,
  type DecoderState,
  disposeState,
} from '../model/decoder';
import { type AllowedTokensFn, allowedBias, allowedSet, specialsBias } from './constraints';
import { DECODE_DEFAULTS } from './defaults';
import { guardRepeats } from './repeat';
import { hostSelectByDefault, hostStep, logNormalizer, readStart } from './select';

export interface GreedyOptions {
  /** Maximum emitted tokens, EOS included. */
  maxLen: number;
  /** Optional constraint hook; forces one sync per step. */
  allowedTokens?: AllowedTokensFn;
  /** Check "all rows finished" every this many steps (each check is a device→host sync). */
  syncEvery?: number;
  /**
   * Pick each token on the host from the step's logits instead of with device ops. Default: on
   * for cpu and wasm, where reading [b, V] logits is a memory copy and saves ~15 small kernels
   * and their overhead per step, and decoding stops at the step where the last row ends; off for
   * webgl/webgpu, where a per-step read would stall the GPU pipeline.
   */
  hostSelect?: boolean;
  /** Decode on these kernels (see FastDecoder; built from the same model), or on tensors when absent. */
  fast?: FastDecoder | null;
  /** Repetition guard (see guardRepeats; default DECODE_DEFAULTS.repeatTokens, 0 = off). */
  repeatTokens?: number;
}

export interface GreedyResult {
  /** Emitted ids, EOS excluded. */
  tokens: number[];
  /** Sum of log-probabilities of the emitted ids, EOS included when finished. */
  logProb: number;
  /** Attention rows [tokens.length (+1 for the EOS step), srcLen]; empty without attention. */
  attention: number[][];
  /** True when EOS was produced within maxLen. */
  finished: boolean;
  /** True when the row ran to maxLen in a loop and the repetition guard cut it back to one copy. */
  repeated?: boolean;
}

/** The running total after token i of per-step log-probabilities `lps[from…]`, summed in step order as the decoders do. */
function runningTotal(lps: ArrayLike<number>, from = 0): (i: number) => number {
  return (i) => {
    let s = 0;
    for (let t = 0; t <= i; t++) s += lps[from + t] as number;
    return s;
  };
}

/**
 * Greedy decoding for a batch. `mem`/`state` come from `Decoder.init` and stay owned by the caller.
 *
 * @example
 * const [r] = await greedyDecode(decoder, mem, state, { maxLen: 20 });
 */
export async function greedyDecode(
  decoder: Decoder,
  mem: DecoderMemory,
  state: DecoderState,
  opts: GreedyOptions,
): Promise<GreedyResult[]> {
  if (opts.hostSelect ?? hostSelectByDefault()) return greedyOnHost(decoder, mem, state, opts);
  const b = mem.memory.shape[0];
  const V = decoder.cfg.vocab;
  const syncEvery = Math.max(1, opts.syncEvery ?? 4);
  const toks: tf.Tensor1D[] = [];
  const lps: tf.Tensor1D[] = [];
  const atts: tf.Tensor2D[] = [];
  const prefixes: number[][] = Array.from({ length: b }, () => []);
  let cur = state;
  const bos: tf.Tensor1D = tf.fill([b], BOS, 'int32');
  const specials = specialsBias(V);
  let input = bos;
  try {
    for (let t = 0; t < opts.maxLen; t++) {
      const bias = opts.allowedTokens ? allowedBias(opts.allowedTokens, t, prefixes, V) : null;
      const out = decoder.step(mem, cur, input, undefined);
      const [next, lp] = tf.tidy(() => {
        const logp = tf.logSoftmax(out.logits) as tf.Tensor2D; // [b, V]
        const biased = bias ? tf.add(tf.add(logp, bias), specials) : tf.add(logp, specials);
        const nx = tf.cast(tf.argMax(biased, 1), 'int32') as tf.Tensor1D; // [b]
        const picked = tf.sum(tf.mul(logp, tf.oneHot(nx, V)), 1) as tf.Tensor1D; // [b]
        return [nx, picked];
      });
      bias?.dispose();
      out.logits.dispose();
      if (cur !== state) disposeState(cur);
      cur = out.state;
      toks.push(next);
      lps.push(lp);
      if (out.attention) atts.push(out.attention);
      input = next;
      if (opts.allowedTokens) {
        const ids = await next.data();
        for (let r = 0; r < b; r++) prefixes[r]?.push(ids[r] as number);
      }
      if ((t + 1) % syncEvery === 0 && t + 1 < opts.maxLen) {
        const done = tf.tidy(() => tf.all(tf.any(tf.equal(tf.stack(toks, 0), EOS), 0)));
        const finished = (await done.data())[0] === 1;
        done.dispose();
        if (finished) break;
      }
    }
    const L = toks.length;
    const stacked = tf.tidy(() => [
      tf.stack(toks, 1),
      tf.stack(lps, 1),
      ...(atts.length ? [tf.stack(atts, 1)] : []),
    ]); // [b, L], [b, L], [b, L, T]
    const [tokData, lpData, attData] = (await Promise.all([
      stacked[0]?.data(),
      stacked[1]?.data(),
      stacked[2]?.data() ?? null,
    ])) as [Int32Array, Float32Array, Float32Array | null];
    tf.dispose(stacked);
    const T = mem.memory.shape[1];
    const results: GreedyResult[] = [];
    for (let r = 0; r < b; r++) {
      const tokens: number[] = [];
      const attention: number[][] = [];
      let logProb = 0;
      let finished = false;
      for (let t = 0; t < L; t++) {
        const id = tokData[r * L + t] as number;
        logProb += lpData[r * L + t] as number;
        if (attData)
          attention.push(Array.from(attData.subarray((r * L + t) * T, (r * L + t + 1) * T)));
        if (id === EOS) {
          finished = true;
          break;
        }
        tokens.push(id);
      }
      results.push(
        guardRepeats(
          { tokens, logProb, attention, finished },
          runningTotal(lpData, r * L),
          opts.repeatTokens ?? DECODE_DEFAULTS.repeatTokens,
        ),
      );
    }
    return results;
  } finally {
    if (cur !== state) disposeState(cur);
    tf.dispose([bos, specials, ...toks, ...lps, ...atts]);
  }
}

/**
 * Greedy decoding with the argmax, log-softmax and EOS check done on the host: one read of the
 * [b, V] logits (and attention) per step. Same tokens and log-probabilities as the device path.
 * With a FastDecoder's host decoder (`opts.fast`) the steps themselves run there too.
 */
async function greedyOnHost(
  decoder: Decoder,
  mem: DecoderMemory,
  state: DecoderState,
  opts: GreedyOptions,
): Promise<GreedyResult[]> {
  const host = opts.fast?.decoder ?? null;
  const head = opts.fast?.head ?? null;
  const start = host?.idle ? await readStart(mem, state) : null;
  // A decoding already running on it (interleaved async calls) leaves this one the tensor path.
  const stepper =
    host && start && host.idle
      ? hostStepper(host.start(start, head))
      : tensorStepper(decoder, mem, state, head);
  return pickOnHost(stepper, mem.memory.shape[0], mem.memory.shape[1], decoder.cfg.vocab, opts);
}

/**
 * Greedy decoding from a start computed on the host (FastDecoder.startFromIds): every step on
 * `opts.fast`'s host decoder, no tensor at all. Same picks as {@link greedyDecode}.
 */
export async function greedyFromStart(
  decoder: Decoder,
  start: HostDecodingStart,
  opts: GreedyOptions,
): Promise<GreedyResult[]> {
  const host = opts.fast?.decoder;
  if (!host) throw new Error('greedyFromStart: expected opts.fast with a host decoder');
  const stepper = hostStepper(host.start(start, opts.fast?.head ?? null));
  return pickOnHost(stepper, start.rows, start.T, decoder.cfg.vocab, opts);
}

/** The greedy loop over a stepper's host reads: `b` rows, memory length T, vocabulary V. */
async function pickOnHost(
  stepper: Stepper,
  b: number,
  T: number,
  V: number,
  opts: GreedyOptions,
): Promise<GreedyResult[]> {
  const results: GreedyResult[] = Array.from({ length: b }, () => ({
    tokens: [],
    logProb: 0,
    attention: [],
    finished: false,
  }));
  let input = new Int32Array(b).fill(BOS);
  let open = b;
  const stepLps: number[][] = Array.from({ length: b }, () => []);
  try {
    for (let t = 0; t < opts.maxLen && open > 0; t++) {
      const allowed = opts.allowedTokens
        ? results.map((r) =>
            r.finished
              ? null
              : allowedSet((opts.allowedTokens as AllowedTokensFn)(t, r.tokens), t, V),
          )
        : null;
      const out = await stepper.step(input);
      const { logits, attention: att } = out;
      const next = new Int32Array(b);
      for (let r = 0; r < b; r++) {
        const ok = allowed?.[r] ?? null;
        out.refine(r, 1, ok);
        const row = logits.subarray(r * V, (r + 1) * V);
        const res = results[r] as GreedyResult;
        let best = -1;
        let bestV = Number.NEGATIVE_INFINITY;
        for (let k = 0; k < V; k++) {
          const v = row[k] as number;
          if (k === PAD || k === BOS || (ok && !ok.has(k))) continue;
          if (v > bestV) {
            bestV = v;
            best = k;
          }
        }
        if (best < 0) best = EOS; // every id forbidden (NaN logits): end the row
        next[r] = best;
        if (res.finished) continue;
        const lp = (row[best] as number) - logNormalizer(row);
        res.logProb += lp;
        (stepLps[r] as number[]).push(lp);
        if (att) res.attention.push(Array.from(att.subarray(r * T, (r + 1) * T)));
        if (best === EOS) {
          res.finished = true;
          open--;
        } else res.tokens.push(best);
      }
      input = next;
    }
    return results.map((res, r) =>
      guardRepeats(
        res,
        runningTotal(stepLps[r] as number[]),
        opts.repeatTokens ?? DECODE_DEFAULTS.repeatTokens,
      ),
    );
  } finally {
    stepper.end();
  }
}

interface Stepper {
  step(tokens: Int32Array): Promise<HostStepRead>;
  end(): void;
}

/** Steps as tensor ops on the backend, each step's logits read onto the host. */
function tensorStepper(
  decoder: Decoder,
  mem: DecoderMemory,
  state: DecoderState,
  head: Int8Head | null,
): Stepper {
  let cur = state;
  return {
    step: async (tokens) => {
      const input = tf.tensor1d(tokens, 'int32');
      try {
        const out = await hostStep(decoder, mem, cur, input, head);
        if (cur !== state) disposeState(cur);
        cur = out.state;
        return out;
      } finally {
        input.dispose();
      }
    },
    end: () => {
      if (cur !== state) disposeState(cur);
    },
  };
}

/** Steps run by a FastDecoder's HostDecoder: no tensors until decoding ends. */
function hostStepper(s: HostStepper): Stepper {
  return { step: async (tokens) => s.step(tokens), end: () => s.end() };
}
