// What `translate --json` and `caption --json` print: one JSON object per input, snake_case keys.
import type { Caption, Hypothesis, Translation } from '@seqlab/models';
import { intFlag, MAX_BEAM, UsageError } from './args';

/** `--n-best <n>`'s parser (it must also be ≤ --beam: checked by {@link checkResultFlags}). */
export const nBestFlag = intFlag('--n-best', 1, MAX_BEAM);

/** The flags that shape --json output. */
export interface ResultFlags {
  beam: number;
  json?: boolean;
  nBest?: number;
  attention?: boolean;
}

/** Flags that only make sense together: usage errors (exit 2) before any model loads. */
export function checkResultFlags(o: ResultFlags): void {
  if (!o.json && o.nBest !== undefined)
    throw new UsageError('--n-best needs --json (the plain output is the best hypothesis only)');
  if (!o.json && o.attention)
    throw new UsageError('--attention needs --json (the weights are printed as a JSON matrix)');
  if (o.nBest !== undefined && o.nBest > o.beam)
    throw new UsageError(
      `--n-best (${o.nBest}) must not exceed --beam (${o.beam}): beam search keeps --beam hypotheses; raise --beam or lower --n-best`,
    );
}

/** Decode options for the pipelines: the n-best list defaults to the whole beam. */
export function decodeOptions(o: ResultFlags): { beam: number; nBest: number } {
  return { beam: o.beam, nBest: o.nBest ?? o.beam };
}

/** Attention weights are printed to 4 decimals: enough to draw, a tenth of the bytes. */
function weights(m: readonly (readonly number[])[]): number[][] {
  return m.map((row) => row.map((v) => Math.round(v * 1e4) / 1e4));
}

function nBestJson(list: readonly Hypothesis[]): { text: string; score: number }[] {
  return list.map((h) => ({ text: h.text, score: h.score }));
}

/**
 * One translation as JSON: `{ input, text, score, n_best: [{ text, score }…], placeholders,
 * attention?: { source_tokens, target_tokens, weights[target][source] } }`.
 */
export function translationJson(
  input: string,
  t: Translation,
  attention: boolean,
): Record<string, unknown> {
  return {
    input,
    text: t.text,
    score: t.score,
    n_best: nBestJson(t.nBest),
    placeholders: t.placeholders,
    ...(attention
      ? {
          attention: {
            source_tokens: t.sourceTokens,
            target_tokens: t.targetTokens,
            weights: weights(t.attention),
          },
        }
      : {}),
  };
}

/**
 * One caption as JSON: `{ file, text, score, n_best: [{ text, score }…], attention?: { tokens,
 * grid_size: [rows, cols], weights[word][cell] } }` (cells of the CNN grid, row-major).
 */
export function captionJson(file: string, c: Caption, attention: boolean): Record<string, unknown> {
  return {
    file,
    text: c.text,
    score: c.score,
    n_best: nBestJson(c.nBest),
    ...(attention
      ? { attention: { tokens: c.tokens, grid_size: c.gridSize, weights: weights(c.attention) } }
      : {}),
  };
}

/** The record of an input that failed, `{ <key>: input, error }`, printed in its place in the order. */
export function errorJson(
  key: 'input' | 'file',
  input: string | null,
  error: string,
): Record<string, unknown> {
  return { [key]: input, error };
}
