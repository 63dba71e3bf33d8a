// A capacity sweep's plan: variants of one translation config (vocabulary, widths, layers,
// dropout, steps…), each checked against the schema and priced in bytes before anything trains.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '@seqlab/data';
import { Seq2Seq } from '@seqlab/seq2seq';
import * as v from 'valibot';
import { REPO_ROOT } from './config-file';
import { TRANSLATE_CONFIG, type TranslateTrainConfig, validateConfig } from './config-schema';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_WHAT = 'a folder-safe name: letters, digits, _ . - (1..64, not starting with . _ -)';

/** The grid file: `{ "variants": [{ "name": "h384", "set": { "model": { "hidden": 384 } } }] }`. */
const GRID = v.strictObject(
  {
    variants: v.pipe(
      v.array(
        v.strictObject(
          {
            name: v.pipe(v.string(NAME_WHAT), v.regex(NAME, NAME_WHAT)),
            set: v.record(v.string(), v.unknown(), 'an object of config fields to change'),
          },
          'an object { "name", "set" } (no other keys)',
        ),
        'a list of { "name", "set" }',
      ),
      v.minLength(1, 'a list of at least one variant'),
    ),
  },
  'an object { "variants": [...] } (no other keys)',
);

/** One variant of a sweep grid: its name (a folder under the sweep's out) and the fields it sets. */
export interface SweepVariant {
  name: string;
  set: Record<string, unknown>;
}

/** A variant ready to run: its full config (as written to its folder) and its price. */
export interface PlannedVariant extends SweepVariant {
  /** The base config with `set` merged in, runDir and out moved under the sweep's folder. */
  config: Record<string, unknown>;
  /** The same, validated, with the schema's defaults. */
  parsed: TranslateTrainConfig;
  /** Trainable parameters with a vocabulary of exactly `vocabSize` (the tokenizer's ceiling). */
  params: number;
  /** The shipped weights' bytes at the config's quantization (model.json and tokenizer not counted). */
  weightBytes: number;
}

/** Bytes per weight of each quantization (int8 adds a few scales per tensor, left out here). */
const BYTES: Record<TranslateTrainConfig['quantization'], number> = {
  float32: 4,
  float16: 2,
  int8: 1,
};

/**
 * Read and check a sweep grid file; every problem names the file, the variant and the field.
 *
 * @example
 * const variants = readSweepGrid('configs/sweep-en-es.json');
 */
export function readSweepGrid(file: string): SweepVariant[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`sweep grid ${file}: cannot read (${(e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(
      decodeText(bytes, `sweep grid ${file}`, { maxLineBytes: Number.POSITIVE_INFINITY }),
    );
  } catch (e) {
    throw new Error(`sweep grid ${file}: malformed JSON (${(e as Error).message})`);
  }
  const r = v.safeParse(GRID, json);
  if (!r.success) {
    const lines = r.issues.map((i) => {
      const at = (i.path ?? []).map((p) => String(p.key)).join('.');
      return `${at || '(top level)'}: expected ${i.message.startsWith('Invalid ') ? (i.expected ?? 'a valid value') : i.message}, got ${JSON.stringify(i.input) ?? 'nothing'}`;
    });
    throw new Error(`sweep grid ${file}:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
  }
  const seen = new Set<string>();
  for (const x of r.output.variants) {
    if (seen.has(x.name.toLowerCase()))
      throw new Error(
        `sweep grid ${file}: variant name '${x.name}' appears twice (names are folders; they must differ, case aside)`,
      );
    seen.add(x.name.toLowerCase());
  }
  return r.output.variants;
}

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * `base` with `set` merged in: objects merge key by key, `null` removes a key, anything else
 * (numbers, strings, lists) replaces.
 *
 * @example
 * mergeConfig({ lr: 1, model: { hidden: 8, embDim: 4 } }, { model: { hidden: 16 } });
 * // { lr: 1, model: { hidden: 16, embDim: 4 } }
 */
export function mergeConfig(
  base: Record<string, unknown>,
  set: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, x] of Object.entries(set)) {
    const b = out[k];
    if (x === null) delete out[k];
    else out[k] = isPlain(b) && isPlain(x) ? mergeConfig(b, x) : structuredClone(x);
  }
  return out;
}

/** Trainable parameters of a translator of this config with a `vocab`-piece joint vocabulary. */
export function translatorParams(cfg: TranslateTrainConfig, vocab = cfg.vocabSize): number {
  const m = new Seq2Seq({ ...cfg.model, srcVocab: vocab, tgtVocab: vocab, seed: cfg.seed });
  try {
    return m.params.size();
  } finally {
    m.dispose();
  }
}

/** A path as configs write it: repo-relative inside the repository, absolute outside. */
function configPath(p: string): string {
  const rel = path.relative(REPO_ROOT, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

/**
 * Plan a sweep: each variant's config (base + set, its run and model folders under `outDir/<name>`),
 * validated against the translate schema, with its parameter count and shipped weight bytes.
 * Needs an initialised tfjs backend (the models are built to be counted, then disposed).
 *
 * @example
 * const plan = planSweep('configs/translate-en-es.json', readSweepGrid('grid.json'), 'runs/sweep');
 */
export function planSweep(
  baseFile: string,
  variants: readonly SweepVariant[],
  outDir: string,
  /** Fields set on every variant after its own (e.g. a smaller testSize for the variants' cards). */
  every: Record<string, unknown> = {},
): PlannedVariant[] {
  let base: unknown;
  try {
    base = JSON.parse(readFileSync(baseFile, 'utf8'));
  } catch (e) {
    throw new Error(`config ${baseFile}: cannot read it as JSON (${(e as Error).message})`);
  }
  // The base alone must be valid (its own errors are not a variant's).
  validateConfig(TRANSLATE_CONFIG, base, baseFile);
  return variants.map((x) => {
    const dir = path.resolve(outDir, x.name);
    const config = mergeConfig(
      mergeConfig(base as Record<string, unknown>, x.set),
      // Every variant writes under its own folder, whatever the base or the set says.
      {
        ...every,
        runDir: configPath(path.join(dir, 'run')),
        out: configPath(path.join(dir, 'model')),
      },
    );
    const parsed = validateConfig(TRANSLATE_CONFIG, config, `${baseFile} + variant '${x.name}'`);
    if (parsed.init !== undefined && x.set.model !== undefined)
      throw new Error(
        `variant '${x.name}': sets model fields but starts from init ${parsed.init}, whose architecture is fixed; set "init": null to train from scratch, or drop the model fields`,
      );
    const params = translatorParams(parsed);
    return { ...x, config, parsed, params, weightBytes: params * BYTES[parsed.quantization] };
  });
}
