import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ParamStore } from '@seqlab/seq2seq';

/** A model as the trainers hold it: its config and its parameters. */
export interface InitTarget {
  readonly config: object;
  readonly params: ParamStore;
}

/** A saved model loaded from its folder; disposed once its weights are copied. */
export interface LoadedModel extends InitTarget {
  dispose(): void;
}

export interface InitWeightsOptions<M extends LoadedModel> {
  /** The config key that named the folder, for errors (`init`, `initFrom`). */
  key: string;
  /** The saved model folder (holding model.json). */
  dir: string;
  /** What kind of folder is expected, for errors (e.g. `seqlab translator folder`). */
  kind: string;
  /** Loads the folder's model. */
  load: (dir: string, modelJson: string) => Promise<M>;
  /** Config keys that may differ (training-time settings, not the shapes of the weights). */
  trainingOnly: readonly string[];
  /** Further checks on the loaded model before its weights are copied (e.g. the vocabulary). */
  check?: (saved: M) => void;
}

/**
 * The config fields of `have` (saved) and `want` (this run) that differ, ignoring `ignore`, as
 * `name <saved> there, <run's> here`.
 *
 * @example
 * architectureDiff({ hidden: 8 }, { hidden: 12 }, ['seed']); // ['hidden 8 there, 12 here']
 */
export function architectureDiff(have: object, want: object, ignore: readonly string[]): string[] {
  const skip = new Set(ignore);
  const h = have as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  return [...new Set([...Object.keys(h), ...Object.keys(w)])]
    .filter((k) => !skip.has(k) && JSON.stringify(h[k]) !== JSON.stringify(w[k]))
    .map((k) => `${k} ${JSON.stringify(h[k])} there, ${JSON.stringify(w[k])} here`);
}

/**
 * Start `into` from the weights of a saved model folder (fine-tuning). The saved architecture must
 * equal the run's except for `trainingOnly`; the error names each field that differs.
 *
 * @example
 * await initWeights(model, {
 *   key: 'init', dir: 'models/translate-en-es', kind: 'seqlab translator folder',
 *   load: async (d, where) => (await loadSeq2Seq(fileHandler(d), where)).model,
 *   trainingOnly: ['dropout', 'labelSmoothing', 'seed'],
 * });
 */
export async function initWeights<M extends LoadedModel>(
  into: InitTarget,
  o: InitWeightsOptions<M>,
): Promise<void> {
  const where = path.join(o.dir, 'model.json');
  if (!existsSync(where))
    throw new Error(`config '${o.key}': ${where} is missing (expected a ${o.kind})`);
  const saved = await o.load(o.dir, where);
  try {
    const differ = architectureDiff(saved.config, into.config, o.trainingOnly);
    if (differ.length)
      throw new Error(
        `config '${o.key}': ${where} has another architecture than this run: ${differ.join('; ')} (only ${o.trainingOnly.join(', ')} may differ)`,
      );
    o.check?.(saved);
    into.params.assign(Object.fromEntries(saved.params.entries()));
  } finally {
    saved.dispose();
  }
}

/**
 * Fine-tuning: `runDir/tokenizer.json` becomes the model folder's tokenizer (a run dir holding
 * another one, e.g. from an earlier run, is refused rather than silently re-encoded).
 */
export function useInitTokenizer(initDir: string, tokFile: string): void {
  const initTok = path.join(initDir, 'tokenizer.json');
  if (!existsSync(initTok))
    throw new Error(
      `config 'init': ${initTok} is missing (expected a seqlab model folder with model.json and tokenizer.json)`,
    );
  const text = readFileSync(initTok, 'utf8');
  if (!existsSync(tokFile)) writeFileSync(tokFile, text);
  else if (readFileSync(tokFile, 'utf8') !== text)
    throw new Error(
      `config 'init': ${tokFile} differs from ${initTok}; this run dir belongs to another run (pass --overwrite to start again from ${initDir})`,
    );
}
