// Paired bootstrap resampling for corpus BLEU (Koehn, 2004), in the form of sacreBLEU's `--paired-bs`: is system B's difference from A more than chance?
import { type BleuOptions, bleuOfRows, bleuStats } from './bleu';
import { Rng } from './random';

/** The resampling seed where none is given (sacreBLEU's default, SACREBLEU_SEED). */
export const PAIRED_BOOTSTRAP_SEED = 12345;

/** Result of {@link pairedBootstrap}: both scores, the difference, its spread, a p-value. */
export interface PairedBootstrapResult {
  /** Corpus BLEU of system A (the baseline) and B on all sentences. */
  bleuA: number;
  bleuB: number;
  /** bleuB − bleuA. */
  delta: number;
  /** 2.5th and 97.5th percentiles of B − A over the resamples. */
  ci95: [number, number];
  /**
   * Two-sided p-value of "the difference is chance": the share of resamples whose |B − A|, centred
   * on its mean over the resamples, reaches the observed |B − A| (plus-one smoothed, as sacreBLEU;
   * "reaches" (≥) where sacreBLEU counts "exceeds" (>), so a system against itself gets p = 1).
   */
  pValue: number;
  /** Resamples drawn, the seed they were drawn with, and sentences per resample. */
  samples: number;
  seed: number;
  sentences: number;
}

/**
 * Paired bootstrap resampling: `samples` times, draw as many sentence indices as there are
 * sentences (with replacement, seeded), score both systems on the same draw, and look at the
 * differences. Deterministic in `seed`.
 * @example
 * const r = pairedBootstrap(baselineHyps, newHyps, [refs]);
 * if (r.pValue < 0.05) console.log(`B − A = ${r.delta.toFixed(2)} BLEU, 95% CI ${r.ci95}`);
 */
export function pairedBootstrap(
  hypsA: readonly string[],
  hypsB: readonly string[],
  references: readonly (readonly string[])[],
  opts: { samples?: number; seed?: number; bleu?: Partial<BleuOptions> } = {},
): PairedBootstrapResult {
  const samples = opts.samples ?? 1000;
  if (!Number.isInteger(samples) || samples < 1)
    throw new Error(`pairedBootstrap: samples must be a positive integer, got ${samples}`);
  if (hypsA.length !== hypsB.length)
    throw new Error(
      `pairedBootstrap: system A has ${hypsA.length} hypotheses and system B ${hypsB.length}; expected the same sentences`,
    );
  const n = hypsA.length;
  if (n === 0) throw new Error('pairedBootstrap: expected at least one sentence, got none');
  const bleuOpts = opts.bleu ?? {};
  const rowsA = bleuStats(hypsA, references, bleuOpts);
  const rowsB = bleuStats(hypsB, references, bleuOpts);
  const bleuA = bleuOfRows(rowsA, n, undefined, bleuOpts).score;
  const bleuB = bleuOfRows(rowsB, n, undefined, bleuOpts).score;
  const seed = opts.seed ?? PAIRED_BOOTSTRAP_SEED;
  const rng = new Rng(seed);
  const diffs = new Float64Array(samples);
  const idx = new Int32Array(n);
  for (let s = 0; s < samples; s++) {
    for (let k = 0; k < n; k++) idx[k] = rng.int(n);
    const pick = (k: number) => idx[k] as number;
    diffs[s] =
      bleuOfRows(rowsB, n, pick, bleuOpts).score - bleuOfRows(rowsA, n, pick, bleuOpts).score;
  }
  const abs = Array.from(diffs, Math.abs);
  const mean = abs.reduce((a, x) => a + x, 0) / samples;
  const observed = Math.abs(bleuB - bleuA);
  const over = abs.filter((x) => x - mean >= observed).length;
  const sorted = Array.from(diffs).sort((a, b) => a - b);
  const lo = Math.floor(samples / 40);
  return {
    bleuA,
    bleuB,
    delta: bleuB - bleuA,
    ci95: [sorted[lo] as number, sorted[samples - 1 - lo] as number],
    pValue: (over + 1) / (samples + 1),
    samples,
    seed,
    sentences: n,
  };
}
