// Beam search on the host: the start tiled to k rows, and each step's best (beam, token) candidates from its logits.
import { BOS, PAD } from '@seqlab/text';
import type { HostDecodingStart, HostStepRead } from '../fast/host-decoder';
import { logNormalizer } from './select';

/** The single input's constants and state repeated for k rows. */
export function tileStart(s: HostDecodingStart, k: number): HostDecodingStart {
  const tile = (a: Float32Array) => {
    const out = new Float32Array(a.length * k);
    for (let r = 0; r < k; r++) out.set(a, r * a.length);
    return out;
  };
  return {
    rows: k,
    T: s.T,
    memory: tile(s.memory),
    keys: s.keys ? tile(s.keys) : null,
    maskBias: tile(s.maskBias),
    feed: tile(s.feed),
    layers: s.layers.map((l) => ({ h: tile(l.h), c: tile(l.c) })),
  };
}

/** {@link topCandidates} of a step read onto the host, each row's logits first made exact where they rank. */
export function hostCandidates(
  out: HostStepRead,
  alive: readonly { logProb: number }[],
  V: number,
  width: number,
  allowed: readonly (Set<number> | null)[] | null,
): { values: Float32Array; indices: Int32Array } {
  for (let r = 0; r < alive.length; r++) out.refine(r, Math.min(width, V), allowed?.[r] ?? null);
  return topCandidates(
    out.logits,
    alive.map((h) => h.logProb),
    V,
    width,
    allowed,
  );
}

/**
 * The `width` best (beam, token) candidates of one step, best first, as flat indices beam·V + token
 * with their totals `logProb[beam] + log softmax(logits[beam])[token]`. PAD, BOS and ids outside a
 * row's allowed set are never candidates; ties keep the lower index first, as tf.topk does.
 */
function topCandidates(
  logits: Float32Array,
  logProbs: readonly number[],
  V: number,
  width: number,
  allowed: readonly (Set<number> | null)[] | null,
): { values: Float32Array; indices: Int32Array } {
  const vals: number[] = [];
  const idxs: number[] = [];
  for (let r = 0; r < logProbs.length; r++) {
    const row = logits.subarray(r * V, (r + 1) * V);
    const ok = allowed?.[r] ?? null;
    const base = (logProbs[r] as number) - logNormalizer(row);
    for (let j = 0; j < V; j++) {
      if (j === PAD || j === BOS || (ok && !ok.has(j))) continue;
      const total = base + (row[j] as number);
      if (vals.length === width && total <= (vals[width - 1] as number)) continue;
      let at = vals.length;
      while (at > 0 && (vals[at - 1] as number) < total) at--;
      vals.splice(at, 0, total);
      idxs.splice(at, 0, r * V + j);
      if (vals.length > width) {
        vals.pop();
        idxs.pop();
      }
    }
  }
  return { values: Float32Array.from(vals), indices: Int32Array.from(idxs) };
}
