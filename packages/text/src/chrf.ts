// Corpus chrF compatible with sacreBLEU 2.x defaults (chrF2: character 6-grams, beta 2, whitespace removed).

/** Options of corpusChrf; the defaults are sacreBLEU's `CHRF()`. */
export interface ChrfOptions {
  /** Highest character n-gram order (default 6). */
  charOrder: number;
  /** Recall weight (default 2). */
  beta: number;
  /** Keep whitespace inside character n-grams (default false: all whitespace is removed). */
  whitespace: boolean;
  /** chrF++.py-style eps smoothing instead of sacreBLEU's effective-order averaging (default false). */
  epsSmoothing: boolean;
  /** Lower-case first (default false). */
  lowercase: boolean;
}

export const DEFAULT_CHRF: ChrfOptions = {
  charOrder: 6,
  beta: 2,
  whitespace: false,
  epsSmoothing: false,
  lowercase: false,
};

function charNgrams(line: string, maxOrder: number, whitespace: boolean): Map<string, number>[] {
  // Python indexes strings by code point, so do we (emoji count as one character).
  const chars = Array.from(whitespace ? line : line.split(/\s+/).join(''));
  const out: Map<string, number>[] = [];
  for (let n = 1; n <= maxOrder; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= chars.length; i++) {
      const g = chars.slice(i, i + n).join('');
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

/** chrF (0–100) from flattened [hyp, ref, match] statistics per order, as sacreBLEU's `_compute_f_score`. */
export function chrfFromStats(stats: readonly number[], opts: Partial<ChrfOptions> = {}): number {
  const o = { ...DEFAULT_CHRF, ...opts };
  const eps = 1e-16;
  const factor = o.beta ** 2;
  let score = 0;
  let avgPrec = 0;
  let avgRec = 0;
  let effOrder = 0;
  for (let i = 0; i < o.charOrder; i++) {
    const nHyp = stats[3 * i] ?? 0;
    const nRef = stats[3 * i + 1] ?? 0;
    const nMatch = stats[3 * i + 2] ?? 0;
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effOrder++;
    }
  }
  if (o.epsSmoothing) return (100 * score) / o.charOrder;
  if (effOrder === 0) return 0;
  avgPrec /= effOrder;
  avgRec /= effOrder;
  if (avgPrec + avgRec === 0) return 0;
  return (100 * (1 + factor) * avgPrec * avgRec) / (factor * avgPrec + avgRec);
}

/**
 * Corpus chrF as sacreBLEU's `corpus_chrf(hyps, refs)`: statistics are summed over sentences; with
 * several reference streams each sentence uses the reference with the best sentence-level chrF.
 * @example corpusChrf(['a b c'], [['abc']], { beta: 3, epsSmoothing: true }) // 50
 */
export function corpusChrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  opts: Partial<ChrfOptions> = {},
): number {
  const o = { ...DEFAULT_CHRF, ...opts };
  for (const [k, refs] of references.entries()) {
    if (refs.length !== hypotheses.length) {
      throw new Error(
        `corpusChrf: reference stream ${k} has ${refs.length} lines, expected ${hypotheses.length} (one per hypothesis)`,
      );
    }
  }
  const prep = (s: string) => (o.lowercase ? s.toLowerCase() : s);
  const corpus = new Array<number>(3 * o.charOrder).fill(0);
  hypotheses.forEach((hyp, i) => {
    const h = charNgrams(prep(hyp), o.charOrder, o.whitespace);
    let best: number[] = [];
    let bestF = -1;
    for (const stream of references) {
      const r = charNgrams(prep(stream[i] as string), o.charOrder, o.whitespace);
      const stats: number[] = [];
      for (let n = 0; n < o.charOrder; n++) {
        const hm = h[n] as Map<string, number>;
        const rm = r[n] as Map<string, number>;
        let nh = 0;
        let nr = 0;
        let match = 0;
        for (const [g, c] of hm) {
          nh += c;
          match += Math.min(c, rm.get(g) ?? 0);
        }
        for (const c of rm.values()) nr += c;
        stats.push(nh, nr, match);
      }
      const f = chrfFromStats(stats, o);
      if (f > bestF) {
        bestF = f;
        best = stats;
      }
    }
    best.forEach((v, k) => {
      corpus[k] = (corpus[k] ?? 0) + v;
    });
  });
  return chrfFromStats(corpus, o);
}
