// Constrained decoding hook: turn an allowedTokens(step, prefix) callback into an additive logit mask.

import { BOS, PAD } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Return the token ids allowed next for this hypothesis, or null for "anything".
 * `prefix` holds the tokens emitted so far (no BOS). Use it e.g. to force placeholder tokens.
 */
export type AllowedTokensFn = (step: number, prefix: readonly number[]) => readonly number[] | null;

/** [rows, V] additive bias: 0 where allowed, -1e9 elsewhere; null when no row is constrained. */
export function allowedBias(
  fn: AllowedTokensFn,
  step: number,
  prefixes: readonly (readonly number[])[],
  vocab: number,
): tf.Tensor2D | null {
  let any = false;
  const buf = new Float32Array(prefixes.length * vocab);
  prefixes.forEach((p, r) => {
    const allowed = fn(step, p);
    if (!allowed) return;
    if (allowed.length === 0)
      throw new Error(
        `allowedTokens: step ${step} returned an empty list; return null to allow everything`,
      );
    any = true;
    buf.fill(-1e9, r * vocab, (r + 1) * vocab);
    for (const id of allowed) {
      if (!Number.isInteger(id) || id < 0 || id >= vocab)
        throw new Error(`allowedTokens: id ${id} outside [0, ${vocab})`);
      buf[r * vocab + id] = 0;
    }
  });
  return any ? tf.tensor2d(buf, [prefixes.length, vocab]) : null;
}

/** [1, V] bias that forbids emitting PAD and BOS (never valid outputs). */
export function specialsBias(vocab: number): tf.Tensor2D {
  const buf = new Float32Array(vocab);
  buf[PAD] = -1e9;
  buf[BOS] = -1e9;
  return tf.tensor2d(buf, [1, vocab]);
}

/** A row's allowed ids as a set (null: anything), validated like {@link allowedBias} (host-side selection). */
export function allowedSet(
  allowed: readonly number[] | null,
  step: number,
  V: number,
): Set<number> | null {
  if (!allowed) return null;
  if (allowed.length === 0)
    throw new Error(
      `allowedTokens: step ${step} returned an empty list; return null to allow everything`,
    );
  for (const id of allowed)
    if (!Number.isInteger(id) || id < 0 || id >= V)
      throw new Error(`allowedTokens: id ${id} outside [0, ${V})`);
  return new Set(allowed);
}

interface TrieNode {
  next: Map<number, TrieNode>;
  end: boolean;
}

/**
 * Closed-set decoding: an {@link AllowedTokensFn} that lets a decoder write only one of
 * `sequences` (token ids without EOS). After a prefix it allows the tokens that continue some
 * sequence, and EOS where a sequence ends; a prefix outside the set (a decoder that ignored the
 * hook) may only end.
 *
 * @example
 * const closed = prefixConstraint([[7, 8], [7, 9, 4]], EOS);
 * closed(1, [7]); // [8, 9]
 * closed(2, [7, 8]); // [EOS]
 */
export function prefixConstraint(
  sequences: readonly (readonly number[])[],
  eos: number,
): AllowedTokensFn {
  if (sequences.length === 0)
    throw new Error('prefixConstraint: expected at least one sequence, got none');
  const root: TrieNode = { next: new Map(), end: false };
  for (const seq of sequences) {
    let node = root;
    for (const id of seq) {
      if (!Number.isInteger(id) || id < 0 || id === eos)
        throw new Error(
          `prefixConstraint: sequences hold token ids ≥ 0 other than EOS (${eos}), got ${id} in [${seq.join(', ')}]`,
        );
      let child = node.next.get(id);
      if (!child) {
        child = { next: new Map(), end: false };
        node.next.set(id, child);
      }
      node = child;
    }
    node.end = true;
  }
  const lists = new Map<TrieNode, number[]>();
  const allowedAt = (node: TrieNode): number[] => {
    let l = lists.get(node);
    if (!l) {
      l = [...node.next.keys()];
      if (node.end) l.push(eos);
      lists.set(node, l);
    }
    return l;
  };
  return (_step, prefix) => {
    let node: TrieNode | undefined = root;
    for (const id of prefix) {
      node = node.next.get(id);
      if (!node) return [eos];
    }
    return allowedAt(node);
  };
}
