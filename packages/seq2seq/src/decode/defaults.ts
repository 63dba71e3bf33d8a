// Decoding defaults, in one place for every caller.

/** Decoding defaults for every caller: pipelines, the CLI, training-time validation. */
export const DECODE_DEFAULTS = {
  /** 1 = greedy. */
  beam: 1,
  /** GNMT length penalty α of beam search (see lengthNorm). */
  lengthPenalty: 0.6,
  /** Largest beam accepted. */
  maxBeam: 16,
  /**
   * Repetition guard: a hypothesis that reaches maxLen without EOS, ending in back-to-back copies
   * of one span covering at least this many tokens, is cut back to one copy (see guardRepeats);
   * 0 turns it off.
   */
  repeatTokens: 8,
} as const;

/**
 * Validate and default a caller's beam width and n-best size: `who` names the caller in errors.
 * @example checkBeam({ beam: 4 }, 'translate') // { beam: 4, nBest: 4 }
 */
export function checkBeam(
  opts: { beam?: number; nBest?: number },
  who: string,
): { beam: number; nBest: number } {
  const beam = opts.beam ?? DECODE_DEFAULTS.beam;
  if (!Number.isInteger(beam) || beam < 1 || beam > DECODE_DEFAULTS.maxBeam)
    throw new Error(
      `${who}: beam must be an integer in 1..${DECODE_DEFAULTS.maxBeam}, got ${beam}`,
    );
  const nBest = opts.nBest ?? beam;
  if (!Number.isInteger(nBest) || nBest < 1 || nBest > beam)
    throw new Error(`${who}: nBest must be an integer in 1..beam (${beam}), got ${nBest}`);
  return { beam, nBest };
}
