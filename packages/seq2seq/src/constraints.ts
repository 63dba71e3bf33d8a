// Constrained decoding hook: turn an allowedTokens(step, prefix) callback into an additive logit mask.
import * as tf from '@tensorflow/tfjs-core';
import { BOS, PAD } from './tokens';

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
