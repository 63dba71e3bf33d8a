// Repetition guard: a hypothesis that never ended (no EOS by maxLen) and ends in a loop is cut back to one copy of it.

/**
 * Where to cut `tokens` when they end in a loop: if the last tokens are `c ≥ 2` back-to-back copies
 * of one span of `k` tokens (the last copy may be partial) with `c·k ≥ minTokens`, the length
 * that keeps everything before the loop plus one whole copy; else -1. The shortest such span wins.
 * Why a length threshold rather than "no repeated n-gram": real text repeats short spans
 * ("bye-bye", "1000", "%s %s"), so only a long run of copies (8 identical tokens, 4 copies of 2,
 * 3 of 3, 2 of 4 or more) counts. `minTokens` ≤ 0 turns the guard off.
 *
 * @example repeatCut([7, 1, 2, 3, 4, 1, 2, 3, 4, 1], 8) // 5: [7, 1, 2, 3, 4]
 */
export function repeatCut(tokens: readonly number[], minTokens: number): number {
  const n = tokens.length;
  if (!(minTokens > 0) || n < Math.max(2, minTokens)) return -1;
  for (let k = 1; 2 * k <= n; k++) {
    // m: how far back tokens[i] === tokens[i - k] holds, ending at the last token.
    let m = 0;
    while (m < n - k && tokens[n - 1 - m] === tokens[n - 1 - m - k]) m++;
    const copies = Math.floor(m / k) + 1;
    if (copies >= 2 && copies * k >= minTokens) return n - m;
  }
  return -1;
}

/** A decoded hypothesis as greedy and beam search keep it. */
interface Decoded {
  tokens: number[];
  logProb: number;
  attention: number[][];
  finished: boolean;
  repeated?: boolean;
}

/**
 * The repetition guard, applied where it must and nowhere else: a hypothesis that ended with EOS
 * is returned untouched (whatever it repeats, the model chose to stop), so results on inputs a
 * model handles do not change; one that ran to maxLen and ends in a loop (see repeatCut) is cut
 * back to one copy, with `logProb` the total after the last kept token (`totals[i]`: the total
 * after token i) and `repeated: true`. Both decoding paths (tensors and host) call this.
 */
export function guardRepeats<H extends Decoded>(
  h: H,
  totals: (i: number) => number,
  minTokens: number,
): H {
  if (h.finished) return h;
  const cut = repeatCut(h.tokens, minTokens);
  if (cut < 0) return h;
  return {
    ...h,
    tokens: h.tokens.slice(0, cut),
    logProb: totals(cut - 1),
    attention: h.attention.slice(0, cut),
    repeated: true,
  };
}
