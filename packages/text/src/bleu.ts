// Corpus BLEU compatible with sacreBLEU's defaults (13a tokenizer, exp smoothing, 4-grams, brevity penalty).

/**
 * sacreBLEU's `13a` tokenizer (mteval-v13a): unescape a few entities, split punctuation and symbols
 * off, split `.` and `,` unless between digits, split `-` after a digit, collapse whitespace.
 * @example tokenize13a('The dog bit the man.') // 'The dog bit the man .'
 */
export function tokenize13a(line: string): string {
  let s = line.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (s.includes('&')) {
    s = s
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  s = ` ${s} `;
  s = s.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  s = s.replace(/([^0-9])([.,])/g, '$1 $2 ');
  s = s.replace(/([.,])([^0-9])/g, ' $1 $2');
  s = s.replace(/([0-9])(-)/g, '$1 $2 ');
  return s
    .split(/\s+/)
    .filter((t) => t !== '')
    .join(' ');
}

/** Options of corpusBleu; the defaults are sacreBLEU's. */
export interface BleuOptions {
  /** `'13a'` (default) or `'none'` (split on whitespace only). */
  tokenize: '13a' | 'none';
  /** `'exp'` (default, NIST / mteval-v13a), `'floor'`, `'add-k'` or `'none'`. */
  smoothMethod: 'exp' | 'floor' | 'add-k' | 'none';
  /** Value for floor (default 0.1) and add-k (default 1). */
  smoothValue?: number;
  /** Highest n-gram order (default 4). */
  maxNgramOrder: number;
  /** Stop at the highest order with any n-grams (sentence-level use). Default false. */
  effectiveOrder: boolean;
  /** Lower-case before scoring. Default false. */
  lowercase: boolean;
}

export const DEFAULT_BLEU: BleuOptions = {
  tokenize: '13a',
  smoothMethod: 'exp',
  maxNgramOrder: 4,
  effectiveOrder: false,
  lowercase: false,
};

/** BLEU and the statistics it came from (precisions in percent, like sacreBLEU). */
export interface BleuResult {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

function ngrams(tokens: string[], maxOrder: number): Map<string, number> {
  const out = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      // \u0001 cannot occur inside a token, so it is a safe n-gram separator.
      const key = `${n}\u0001${tokens.slice(i, i + n).join('\u0001')}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * BLEU from corpus statistics, as sacreBLEU's `BLEU.compute_bleu`.
 * @example computeBleu([9, 7, 5, 3], [10, 8, 6, 4], 11, 11).score // 83.75922397
 */
export function computeBleu(
  correct: readonly number[],
  total: readonly number[],
  sysLen: number,
  refLen: number,
  opts: Partial<BleuOptions> = {},
): BleuResult {
  const o = { ...DEFAULT_BLEU, ...opts };
  const smoothValue = o.smoothValue ?? (o.smoothMethod === 'floor' ? 0.1 : 1);
  const counts = [...correct];
  const totals = [...total];
  const bp = sysLen < refLen ? (sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0) : 1;
  const precisions = new Array<number>(o.maxNgramOrder).fill(0);
  const result = (score: number): BleuResult => ({
    score,
    counts,
    totals,
    precisions,
    bp,
    sysLen,
    refLen,
  });
  if (!counts.some((c) => c > 0)) return result(0);
  let smoothMteval = 1;
  let effOrder = o.maxNgramOrder;
  for (let n = 1; n <= o.maxNgramOrder; n++) {
    if (o.smoothMethod === 'add-k' && n > 1) {
      counts[n - 1] = (counts[n - 1] ?? 0) + smoothValue;
      totals[n - 1] = (totals[n - 1] ?? 0) + smoothValue;
    }
    const t = totals[n - 1] ?? 0;
    const c = counts[n - 1] ?? 0;
    if (t === 0) break;
    if (o.effectiveOrder) effOrder = n;
    if (c === 0) {
      if (o.smoothMethod === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (o.smoothMethod === 'floor') {
        precisions[n - 1] = (100 * smoothValue) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  // sacreBLEU's my_log: log(0) is a huge negative number, not -Infinity.
  const log = (p: number) => (p === 0 ? -9999999999 : Math.log(p));
  const sum = precisions.slice(0, effOrder).reduce((a, p) => a + log(p), 0);
  return result(bp * Math.exp(sum / effOrder));
}

/**
 * Per-sentence BLEU sufficient statistics, one row of `2 * maxNgramOrder + 2` numbers per
 * hypothesis: matched n-grams (orders 1…N), hypothesis n-grams (orders 1…N), hypothesis length,
 * closest reference length. Summing rows and passing them to {@link bleuFromStats} gives
 * `corpusBleu`; paired bootstrap resampling resamples rows.
 * @example const rows = bleuStats(['The cat sat.'], [['The cat sat.']]); // Float64Array(10)
 */
export function bleuStats(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  opts: Partial<BleuOptions> = {},
): Float64Array {
  const o = { ...DEFAULT_BLEU, ...opts };
  for (const [k, refs] of references.entries()) {
    if (refs.length !== hypotheses.length) {
      throw new Error(
        `corpusBleu: reference stream ${k} has ${refs.length} lines, expected ${hypotheses.length} (one per hypothesis)`,
      );
    }
  }
  const prep = (s: string) => {
    const t = o.lowercase ? s.toLowerCase() : s;
    return (o.tokenize === '13a' ? tokenize13a(t) : t).split(/\s+/).filter((w) => w !== '');
  };
  const N = o.maxNgramOrder;
  const width = 2 * N + 2;
  const rows = new Float64Array(hypotheses.length * width);
  hypotheses.forEach((hyp, i) => {
    const at = i * width;
    const refMax = new Map<string, number>();
    const refLens: number[] = [];
    for (const stream of references) {
      const toks = prep(stream[i] as string);
      refLens.push(toks.length);
      for (const [g, c] of ngrams(toks, N)) refMax.set(g, Math.max(refMax.get(g) ?? 0, c));
    }
    const h = prep(hyp);
    rows[at + 2 * N] = h.length;
    // Closest reference length; ties go to the shorter reference.
    let best = -1;
    let bestDiff = -1;
    for (const r of refLens) {
      const d = Math.abs(h.length - r);
      if (bestDiff === -1 || d < bestDiff || (d === bestDiff && r < best)) {
        bestDiff = d;
        best = r;
      }
    }
    rows[at + 2 * N + 1] = Math.max(best, 0);
    for (const [g, c] of ngrams(h, N)) {
      const n = Number(g.slice(0, g.indexOf('\u0001'))) - 1;
      rows[at + N + n] = (rows[at + N + n] ?? 0) + c;
      rows[at + n] = (rows[at + n] ?? 0) + Math.min(c, refMax.get(g) ?? 0);
    }
  });
  return rows;
}

/**
 * BLEU of summed {@link bleuStats} rows (`sum` has `2 * maxNgramOrder + 2` entries).
 * @example bleuFromStats([9, 7, 5, 3, 10, 8, 6, 4, 11, 11]).score // 83.75922397
 */
export function bleuFromStats(sum: ArrayLike<number>, opts: Partial<BleuOptions> = {}): BleuResult {
  const N = { ...DEFAULT_BLEU, ...opts }.maxNgramOrder;
  if (sum.length !== 2 * N + 2)
    throw new Error(
      `bleuFromStats: expected ${2 * N + 2} statistics (maxNgramOrder ${N}), got ${sum.length}`,
    );
  const a = Array.from(sum);
  return computeBleu(
    a.slice(0, N),
    a.slice(N, 2 * N),
    a[2 * N] as number,
    a[2 * N + 1] as number,
    opts,
  );
}

/**
 * BLEU of the {@link bleuStats} rows `pick(0) … pick(count − 1)` summed (default: every row once),
 * e.g. one bootstrap resample of the sentences.
 * @example bleuOfRows(rows, 3, (k) => [0, 0, 2][k] as number).score
 */
export function bleuOfRows(
  rows: Float64Array,
  count: number,
  pick: (k: number) => number = (k) => k,
  opts: Partial<BleuOptions> = {},
): BleuResult {
  const width = 2 * { ...DEFAULT_BLEU, ...opts }.maxNgramOrder + 2;
  const sum = new Float64Array(width);
  for (let k = 0; k < count; k++) {
    const at = pick(k) * width;
    for (let j = 0; j < width; j++) sum[j] = (sum[j] as number) + (rows[at + j] as number);
  }
  return bleuFromStats(sum, opts);
}

/**
 * Corpus BLEU (0–100) as sacreBLEU's `corpus_bleu(hyps, refs)`: `references` holds one stream per
 * reference set, each aligned with `hypotheses` (a single set: `[refs]`).
 * @example corpusBleu(['The cat sat.'], [['The cat sat.']]).score // 100
 */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  opts: Partial<BleuOptions> = {},
): BleuResult {
  return bleuOfRows(bleuStats(hypotheses, references, opts), hypotheses.length, undefined, opts);
}
