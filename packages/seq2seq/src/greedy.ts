// Batched greedy decoding with tokens kept on device and EOS checked only every few steps.
import * as tf from '@tensorflow/tfjs-core';
import { type AllowedTokensFn, allowedBias, specialsBias } from './constraints';
import { type Decoder, type DecoderMemory, type DecoderState, disposeState } from './decoder';
import { BOS, EOS } from './tokens';

export interface GreedyOptions {
  /** Maximum emitted tokens, EOS included. */
  maxLen: number;
  /** Optional constraint hook; forces one sync per step. */
  allowedTokens?: AllowedTokensFn;
  /** Check "all rows finished" every this many steps (each check is a device→host sync). */
  syncEvery?: number;
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
      results.push({ tokens, logProb, attention, finished });
    }
    return results;
  } finally {
    if (cur !== state) disposeState(cur);
    tf.dispose([bos, specials, ...toks, ...lps, ...atts]);
  }
}
