// Beam search over one input with GNMT length normalisation, n-best output and per-hypothesis attention.

import { BOS, EOS } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import type { FastDecoder } from '../fast/fast-decoder';
import type { HostDecoder, HostDecodingStart } from '../fast/host-decoder';
import {
  type Decoder,
  type DecoderMemory,
  type DecoderState,
  disposeMemory,
  disposeState,
  gatherMemory,
  gatherState,
} from '../model/decoder';
import { tidy } from '../model/layers';
import { hostCandidates, tileStart } from './beam-candidates';
import { type AllowedTokensFn, allowedBias, allowedSet, specialsBias } from './constraints';
import { DECODE_DEFAULTS } from './defaults';
import { guardRepeats } from './repeat';
import { hostSelectByDefault, hostStep, readStart } from './select';

export interface BeamOptions {
  /** Hypotheses kept per step. 1 reproduces greedy decoding. */
  beamWidth: number;
  /** How many hypotheses to return (≤ beamWidth). */
  nBest: number;
  /** Maximum emitted tokens, EOS included. */
  maxLen: number;
  /**
   * GNMT length penalty α: score = logProb / ((5 + len) / 6)^α with len counting EOS.
   * 0 ranks by raw log-probability; 0.6–1.0 counter the bias towards short outputs.
   */
  lengthPenalty: number;
  /** Optional constraint hook (see {@link AllowedTokensFn}). */
  allowedTokens?: AllowedTokensFn;
  /**
   * Score and rank candidates on the host from one read of the step's logits (default on cpu and
   * wasm, where the read is a copy; see GreedyOptions.hostSelect) instead of with device ops.
   */
  hostSelect?: boolean;
  /** Decode on these kernels (see FastDecoder; built from the same model), or on tensors when absent. */
  fast?: FastDecoder | null;
  /** Repetition guard (see guardRepeats; default DECODE_DEFAULTS.repeatTokens, 0 = off). */
  repeatTokens?: number;
}

export interface Hypothesis {
  /** Emitted ids, EOS excluded. */
  tokens: number[];
  /** Sum of log-probabilities of every emitted id (EOS included when finished). */
  logProb: number;
  /** Length-normalised score used for ranking. */
  score: number;
  /** Attention rows [tokens.length (+1 for EOS), srcLen]; empty without attention. */
  attention: number[][];
  finished: boolean;
  /** True when it ran to maxLen in a loop and the repetition guard cut it back to one copy. */
  repeated?: boolean;
}

/** Below this a candidate was ruled out by the constraint mask. */
const DISALLOWED = -1e8;

export function lengthNorm(logProb: number, len: number, alpha: number): number {
  return alpha === 0 ? logProb : logProb / ((5 + len) / 6) ** alpha;
}

/** Beam width, n-best size and length penalty of `opts`, validated. */
function beamSettings(opts: Partial<BeamOptions>): { k: number; nBest: number; alpha: number } {
  const k = opts.beamWidth ?? 4;
  const nBest = opts.nBest ?? 1;
  const alpha = opts.lengthPenalty ?? DECODE_DEFAULTS.lengthPenalty;
  if (!Number.isInteger(k) || k < 1)
    throw new Error(`beamSearch: beamWidth must be a positive integer, got ${k}`);
  if (!Number.isInteger(nBest) || nBest < 1 || nBest > k)
    throw new Error(`beamSearch: nBest must be an integer in [1, beamWidth=${k}], got ${nBest}`);
  return { k, nBest, alpha };
}

interface Partial_ {
  tokens: number[];
  logProb: number;
  attention: number[][];
  /** logProb after each of `tokens` (what a cut by the repetition guard keeps). */
  totals: number[];
}

/**
 * Beam search for a single input (`mem`/`state` have batch 1 and stay owned by the caller).
 * Stops when `beamWidth` hypotheses have finished, no hypothesis is alive, or at `maxLen`;
 * unfinished hypotheses fill the n-best list only when too few finished.
 *
 * @example
 * const nbest = await beamSearchDecode(decoder, mem, state, { beamWidth: 4, nBest: 2, maxLen: 30, lengthPenalty: 0.6 });
 */
export async function beamSearchDecode(
  decoder: Decoder,
  mem: DecoderMemory,
  state: DecoderState,
  opts: Partial<BeamOptions> & { maxLen: number },
): Promise<Hypothesis[]> {
  const { k, nBest, alpha } = beamSettings(opts);
  if (mem.memory.shape[0] !== 1)
    throw new Error(
      `beamSearch: expected a single input (batch 1), got batch ${mem.memory.shape[0]}`,
    );
  const host = opts.hostSelect ?? hostSelectByDefault();
  const hostDecoder = opts.fast?.decoder ?? null;
  if (host && hostDecoder?.idle) {
    const start = await readStart(mem, state);
    // Re-checked after the read: an interleaved decoding may have taken it meanwhile.
    if (hostDecoder.idle) return beamOnHost(decoder, hostDecoder, start, opts, { k, nBest, alpha });
  }
  const V = decoder.cfg.vocab;
  const T = mem.memory.shape[1];
  const finished: Hypothesis[] = [];
  let alive: Partial_[] = [{ tokens: [], logProb: 0, attention: [], totals: [] }];
  let memK: DecoderMemory | null = null; // memory tiled to k rows after the first step
  let cur = state;
  let input: tf.Tensor1D = tf.tensor1d([BOS], 'int32');
  const specials = host ? null : specialsBias(V);
  try {
    for (let t = 0; t < opts.maxLen && alive.length > 0; t++) {
      const n = alive.length;
      const rowsMem = n === 1 && t === 0 ? mem : (memK as DecoderMemory);
      const bias =
        opts.allowedTokens && !host
          ? allowedBias(
              opts.allowedTokens,
              t,
              alive.map((a) => a.tokens),
              V,
            )
          : null;
      // Host path: the constraint lists, validated before the step so a bad list leaks nothing.
      const allowed =
        opts.allowedTokens && host
          ? alive.map((h) => allowedSet((opts.allowedTokens as AllowedTokensFn)(t, h.tokens), t, V))
          : null;
      const width = Math.min(2 * k, n * V);
      let v: Float32Array;
      let ix: Int32Array;
      let att: Float32Array | null;
      let stepState: DecoderState;
      if (host) {
        const out = await hostStep(decoder, rowsMem, cur, input, opts.fast?.head ?? null);
        stepState = out.state;
        att = out.attention;
        ({ values: v, indices: ix } = hostCandidates(out, alive, V, width, allowed));
      } else {
        const out = decoder.step(rowsMem, cur, input);
        stepState = out.state;
        const [vals, idx] = tf.tidy(() => {
          let logp = tf.add(tf.logSoftmax(out.logits), specials as tf.Tensor2D); // [n, V]
          if (bias) logp = tf.add(logp, bias);
          const total = tf.add(
            logp,
            tf.tensor2d(
              alive.map((a) => a.logProb),
              [n, 1],
            ),
          ); // [n, V]
          const top = tf.topk(tf.reshape(total, [n * V]), width);
          return [top.values, top.indices];
        });
        bias?.dispose();
        [v, ix, att] = (await Promise.all([
          vals.data(),
          idx.data(),
          out.attention ? out.attention.data() : Promise.resolve(null),
        ])) as [Float32Array, Int32Array, Float32Array | null];
        tf.dispose([vals, idx, out.logits, out.attention ?? []]);
      }
      const { next, beams, toks } = advance(v, ix, att, alive, finished, { k, V, T, alpha });
      const prev = cur;
      cur = tidy(() => gatherState(stepState, tf.tensor1d(beams, 'int32')));
      disposeState(stepState);
      if (prev !== state) disposeState(prev);
      input.dispose();
      input = tf.tensor1d(toks, 'int32');
      if (!memK && next.length > 0) memK = tidy(() => gatherMemory(mem, tf.zeros([k], 'int32')));
      alive = next;
      if (finished.length >= k) break;
      // Fewer live hypotheses than beams (tiny vocabularies, constraints): the step needs matching batch sizes.
      if (memK && alive.length > 0 && alive.length !== memK.memory.shape[0]) {
        const old: DecoderMemory = memK;
        memK = tidy(() => gatherMemory(mem, tf.zeros([alive.length], 'int32')));
        disposeMemory(old);
      }
    }
    return rankFinal(finished, alive, nBest, alpha, opts.repeatTokens);
  } finally {
    specials?.dispose();
    input.dispose();
    if (cur !== state) disposeState(cur);
    if (memK) disposeMemory(memK);
  }
}

/**
 * One step's bookkeeping from its ranked candidates (values v, flat indices ix = beam·V + token,
 * attention rows att [n, T]): finished hypotheses go to `finished` (at most k), the rest become
 * the next beam, with the parent row and token of each.
 */
function advance(
  v: Float32Array,
  ix: Int32Array,
  att: Float32Array | null,
  alive: readonly Partial_[],
  finished: Hypothesis[],
  d: { k: number; V: number; T: number; alpha: number },
): { next: Partial_[]; beams: number[]; toks: number[] } {
  const { k, V, T, alpha } = d;
  const next: Partial_[] = [];
  const beams: number[] = [];
  const toks: number[] = [];
  for (let j = 0; j < v.length && next.length < k; j++) {
    const score = v[j] as number;
    if (score < DISALLOWED) break;
    const flat = ix[j] as number;
    const beam = Math.floor(flat / V);
    const tok = flat % V;
    const parent = alive[beam] as Partial_;
    const attention = att
      ? [...parent.attention, Array.from(att.subarray(beam * T, (beam + 1) * T))]
      : parent.attention;
    if (tok === EOS) {
      if (finished.length < k) {
        finished.push({
          tokens: parent.tokens,
          logProb: score,
          score: lengthNorm(score, parent.tokens.length + 1, alpha),
          attention,
          finished: true,
        });
      }
      continue;
    }
    next.push({
      tokens: [...parent.tokens, tok],
      logProb: score,
      attention,
      totals: [...parent.totals, score],
    });
    beams.push(beam);
    toks.push(tok);
  }
  return { next, beams, toks };
}

/**
 * The n-best list from finished hypotheses, topped up with live ones when too few finished; a
 * live one that loops is cut back to one copy by the repetition guard (`repeatTokens`).
 */
function rankFinal(
  finished: Hypothesis[],
  alive: Partial_[],
  nBest: number,
  alpha: number,
  repeatTokens = DECODE_DEFAULTS.repeatTokens as number,
) {
  const rest: Hypothesis[] = alive.map((a) => {
    const h = guardRepeats(
      { tokens: a.tokens, logProb: a.logProb, attention: a.attention, finished: false },
      (i) => a.totals[i] as number,
      repeatTokens,
    );
    return { ...h, score: lengthNorm(h.logProb, h.tokens.length, alpha) };
  });
  const ranked = [...finished].sort((a, b) => b.score - a.score);
  if (ranked.length < nBest) ranked.push(...rest.sort((a, b) => b.score - a.score));
  return ranked.slice(0, nBest);
}

/**
 * Beam search from a single input's start computed on the host (FastDecoder.startFromIds): every
 * step on `opts.fast`'s host decoder, no tensor at all. Same search as {@link beamSearchDecode}.
 */
export async function beamFromStart(
  decoder: Decoder,
  start: HostDecodingStart,
  opts: Partial<BeamOptions> & { maxLen: number },
): Promise<Hypothesis[]> {
  const { k, nBest, alpha } = beamSettings(opts);
  const host = opts.fast?.decoder;
  if (!host) throw new Error('beamFromStart: expected opts.fast with a host decoder');
  if (start.rows !== 1)
    throw new Error(`beamFromStart: expected a single input (1 row), got ${start.rows}`);
  return beamOnHost(decoder, host, start, opts, { k, nBest, alpha });
}

/**
 * Beam search on the decoder's {@link HostDecoder}: the same search as the tensor path, with
 * the k rows' states reordered in the kernels' memory instead of gathered as tensors.
 */
async function beamOnHost(
  decoder: Decoder,
  hostDecoder: HostDecoder,
  start: HostDecodingStart,
  opts: Partial<BeamOptions> & { maxLen: number },
  d: { k: number; nBest: number; alpha: number },
): Promise<Hypothesis[]> {
  const { k, nBest, alpha } = d;
  const V = decoder.cfg.vocab;
  const T = start.T;
  const stepper = hostDecoder.start(tileStart(start, k), opts.fast?.head ?? null);
  const finished: Hypothesis[] = [];
  let alive: Partial_[] = [{ tokens: [], logProb: 0, attention: [], totals: [] }];
  let input = Int32Array.of(BOS);
  try {
    for (let t = 0; t < opts.maxLen && alive.length > 0; t++) {
      const n = alive.length;
      const allowed = opts.allowedTokens
        ? alive.map((h) => allowedSet((opts.allowedTokens as AllowedTokensFn)(t, h.tokens), t, V))
        : null;
      const out = stepper.step(input);
      const { values, indices } = hostCandidates(out, alive, V, Math.min(2 * k, n * V), allowed);
      const { next, beams, toks } = advance(values, indices, out.attention, alive, finished, {
        k,
        V,
        T,
        alpha,
      });
      stepper.reorder(beams);
      input = Int32Array.from(toks);
      alive = next;
      if (finished.length >= k) break;
    }
    return rankFinal(finished, alive, nBest, alpha, opts.repeatTokens);
  } finally {
    stepper.end();
  }
}
