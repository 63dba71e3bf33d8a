// The training configs' schemas (valibot): every field typed, ranged and defaulted here; unknown keys refused.
// Defaults are functions so that every parse returns fresh objects and arrays.
import { MAX_LENGTH_PENALTY } from '@seqlab/models';
import * as v from 'valibot';

// One description per field, used for every way it can be wrong ("expected <description>").
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => {
  const what =
    max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`;
  return v.pipe(v.number(what), v.integer(what), v.minValue(min, what), v.maxValue(max, what));
};
/** A finite number in [min, max], or (min, max] with `above`. */
const num = (min: number, max: number, above = false) => {
  const what = `a number ${above ? '>' : '≥'} ${min} and ≤ ${max}`;
  return v.pipe(
    v.number(what),
    v.finite(what),
    above ? v.gtValue(min, what) : v.minValue(min, what),
    v.maxValue(max, what),
  );
};
/** A rate in [0, 1). */
const rate = () => {
  const what = 'a number in [0, 1)';
  return v.pipe(v.number(what), v.minValue(0, what), v.ltValue(1, what));
};
const text = (what = 'a non-empty string') => v.pipe(v.string(what), v.nonEmpty(what));
const bool = () => v.boolean('true or false');
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  v.picklist(values, values.map((x) => JSON.stringify(x)).join(' | '));
const list = <T extends v.GenericSchema>(item: T, what: string) =>
  v.pipe(v.array(item, what), v.minLength(1, what));
/** A JSON object with exactly these keys (unknown keys are errors: typos must not pass silently). */
const strict = <E extends v.ObjectEntries>(entries: E) =>
  v.strictObject(entries, (issue) => {
    if (issue.expected === 'never')
      return `no such key; valid keys are ${Object.keys(entries).join(', ')}`;
    const key = issue.input === undefined ? /^"(.*)"$/.exec(issue.expected ?? '')?.[1] : undefined;
    const entry = key === undefined ? undefined : (entries as v.ObjectEntries)[key];
    return entry
      ? `missing; expected ${describe(entry)}`
      : `an object with keys ${Object.keys(entries).join(', ')}`;
  });

/** A schema's description: the message its first check carries ("an integer ≥ 1"). */
function describe(schema: v.GenericSchema): string {
  const s = schema as {
    message?: unknown;
    pipe?: { message?: unknown }[];
    wrapped?: v.GenericSchema;
  };
  if (s.wrapped) return describe(s.wrapped);
  const m = s.pipe?.[0]?.message ?? s.message;
  return typeof m === 'string' ? m : 'a value';
}

const SEED = int(0, 0xffffffff);

/** The training-loop knobs every task config has (LoopConfig). */
export const LOOP_ENTRIES = {
  /** Adam learning rate. */
  lr: num(0, 1, true),
  /** Global gradient-norm clipping threshold. */
  clipNorm: num(0, 1e6, true),
  /** Passes over the training data (unless maxSteps or --max-steps stops earlier). */
  epochs: int(1),
  /** Validate every N steps. */
  validateEvery: int(1),
  /** Checkpoint every N steps. */
  checkpointEvery: int(1),
  /** Stop after this many validations without improvement. */
  patience: int(1),
  /** Seed of weights, batch order, dropout. */
  seed: SEED,
  /** End with the best-validated weights (true) or the last step's (false). */
  keepBest: v.optional(bool(), true),
  /** Checkpoint averaging: validate the mean of the last N checkpoints at the end, keep it if better. */
  averageLast: v.optional(int(2, 100)),
  /** Step schedule: after `step` steps, train at `lr`. */
  lrDrops: v.optional(
    v.array(strict({ step: int(0), lr: num(0, 1, true) }), 'a list of { "step", "lr" }'),
    () => [],
  ),
};

/** The fields of every training config besides the loop knobs (TrainConfigBase). */
export const BASE_ENTRIES = {
  ...LOOP_ENTRIES,
  /** Model name, e.g. translate-en-es. */
  name: text(),
  /** Scratch folder for checkpoints, history and logs (repo-relative or absolute). */
  runDir: text('a folder path'),
  /** Final model folder. */
  out: text('a folder path'),
  batchSize: int(1, 65536),
  /** Optional cap on total steps. */
  maxSteps: v.optional(int(1)),
  /** Validation items decoded at each validation. */
  validSize: int(1),
  /** Weight encoding of the final artifact. */
  quantization: oneOf(['float32', 'float16', 'int8']),
};

/**
 * Seq2SeqConfig keys a config may set (srcVocab/tgtVocab come from the tokenizer, seed from the
 * run's seed); absent ones take DEFAULT_CONFIG's values in @seqlab/seq2seq.
 */
export const SEQ2SEQ_MODEL = strict({
  embDim: v.optional(int(1)),
  hidden: v.optional(int(1)),
  encoderHidden: v.optional(int(1)),
  encoderLayers: v.optional(int(1, 16)),
  decoderLayers: v.optional(int(1, 16)),
  bidirectional: v.optional(bool()),
  attention: v.optional(oneOf(['additive', 'dot', 'none'])),
  attentionDim: v.optional(int(1)),
  dropout: v.optional(rate()),
  labelSmoothing: v.optional(rate()),
  maxLen: v.optional(int(1)),
  tieEmbeddings: v.optional(bool()),
  inputFeeding: v.optional(bool()),
});

/** A translation training config (configs/translate-*.json). */
export const TRANSLATE_CONFIG = strict({
  ...BASE_ENTRIES,
  /** Target language code (source is English). */
  target: v.pipe(
    v.string('a language code like es'),
    v.regex(/^[a-z]{2,3}$/, 'a language code like es'),
  ),
  /** Corpus root holding en-<target>/{train,valid,test}.tsv. */
  corpus: text('a folder path'),
  /** Joint BPE vocabulary size (specials and byte fallback included). */
  vocabSize: int(1, 1_000_000),
  /** Drop training pairs longer than this many tokens on either side. */
  maxTokens: int(1),
  model: v.optional(SEQ2SEQ_MODEL, () => ({})),
  /** Evaluate on the first N test pairs only (quick runs); default: all. */
  testSize: v.optional(int(1)),
  /**
   * The split that chooses checkpoints: 'dev-apps' (whole applications held out: what users of an
   * unseen application get) or 'valid' (in-domain). Default: dev-apps where the corpus has it.
   */
  validSplit: v.optional(oneOf(['dev-apps', 'valid'])),
  /**
   * BPE-dropout while training (Provilkov et al., 2020): each epoch segments both sides anew,
   * skipping each merge with this probability (0.1 in the paper); decoding never drops. Default 0.
   */
  bpeDropout: v.optional(rate()),
  /**
   * Beam search's length penalty α the model ships with (model.json settings.lengthPenalty: its
   * default in every pipeline), chosen on dev-apps with `seqlab eval translate --length-penalty`;
   * the final beam-4 metrics use it. Default: the translators' TRANSLATE_LENGTH_PENALTY (0.6).
   */
  lengthPenalty: v.optional(
    v.pipe(
      v.number(`a number in 0..${MAX_LENGTH_PENALTY}`),
      v.minValue(0, `a number in 0..${MAX_LENGTH_PENALTY}`),
      v.maxValue(MAX_LENGTH_PENALTY, `a number in 0..${MAX_LENGTH_PENALTY}`),
    ),
  ),
  /** A seqlab translator folder to fine-tune from (its tokenizer and weights; every engine). */
  init: v.optional(text('a model folder path')),
  /** The command that trains `init` (the card's Reproduce block runs it first). */
  initCommand: v.optional(text('a command')),
});

/**
 * CaptionConfig keys a config may set (vocab comes from the data, seed from the run's seed);
 * absent ones take DEFAULT_CAPTION_CONFIG's values in @seqlab/seq2seq.
 */
export const CAPTION_MODEL = strict({
  imageSize: v.optional(int(4, 1024)),
  channels: v.optional(list(int(1), 'a non-empty list of channel counts')),
  strides: v.optional(list(int(1), 'a non-empty list of strides')),
  convsPerBlock: v.optional(int(1)),
  embDim: v.optional(int(1)),
  hidden: v.optional(int(1)),
  attention: v.optional(oneOf(['additive', 'dot'])),
  attentionDim: v.optional(int(1)),
  maxLen: v.optional(int(1)),
  positional: v.optional(oneOf(['none', 'coords'])),
  wordDropout: v.optional(rate()),
});

const SHAPES_DATASET = strict({
  kind: v.literal('shapes', '"shapes" or "folders"'),
  seed: SEED,
  batchesPerEpoch: int(1),
  /** Scenes per final evaluation split (test and novel). */
  testSize: v.optional(int(1), 1000),
});

const FOLDERS_DATASET = strict({
  kind: v.literal('folders', '"shapes" or "folders"'),
  /** The command that builds the folders (for the card). */
  build: v.optional(text('a command')),
  train: list(text('a folder path'), 'a non-empty list of folders'),
  test: v.array(
    strict({ name: text(), dir: text('a folder path') }),
    'a list of { "name", "dir" }',
  ),
});

const PROBABILITY = () => {
  const what = 'a probability in [0, 1]';
  return v.pipe(v.number(what), v.minValue(0, what), v.maxValue(1, what));
};

/** A caption training config (configs/caption-*.json). */
export const CAPTION_CONFIG = strict({
  ...BASE_ENTRIES,
  dataset: v.variant('kind', [SHAPES_DATASET, FOLDERS_DATASET], (issue) =>
    issue.path?.at(-1)?.key === 'kind'
      ? '"shapes" or "folders"'
      : 'an object with "kind": "shapes" or "folders"',
  ),
  model: v.optional(CAPTION_MODEL, () => ({})),
  /** Random shift augmentation in pixels (folders only). */
  maxShift: v.optional(int(0, 64), 0),
  /** Style augmentation (folders only): see StyleAugment in @seqlab/data. */
  augment: v.optional(
    strict({
      scale: v.optional(
        v.pipe(
          v.tuple(
            [num(0.2, 1.5, true), num(0.2, 1.5, true)],
            '[min, max] with 0.2 < min ≤ max ≤ 1.5',
          ),
          v.check(([a, b]) => a <= b, '[min, max] with min ≤ max'),
        ),
      ),
      outline: v.optional(PROBABILITY()),
      flatten: v.optional(PROBABILITY()),
      grey: v.optional(PROBABILITY()),
    }),
    () => ({}),
  ),
  /** Sort each run of this many batches by caption length (folders only; 1 = off). */
  lengthBuckets: v.optional(int(1, 1024), 1),
  /** Start from the weights of a saved caption model folder (fine-tuning). */
  initFrom: v.optional(text('a model folder path')),
  /** The command that trains `initFrom` (the card's Reproduce block runs it first). */
  initFromCommand: v.optional(text('a command')),
});

const BASE = strict(BASE_ENTRIES);
/** What every training config holds, validated (defaults filled in). */
export type TrainConfigBase = v.InferOutput<typeof BASE>;
/** A validated translation config: defaults filled in. */
export type TranslateTrainConfig = v.InferOutput<typeof TRANSLATE_CONFIG>;
/** A validated caption config: defaults filled in. */
export type CaptionTrainConfig = v.InferOutput<typeof CAPTION_CONFIG>;
/** A config schema readConfig accepts. */
export type ConfigSchema = v.GenericSchema<unknown, object>;

function where(issue: v.BaseIssue<unknown>): string {
  const parts = (issue.path ?? []).map((p) => p.key);
  let s = '';
  for (const k of parts) s += typeof k === 'number' ? `[${k}]` : `${s ? '.' : ''}${String(k)}`;
  return s;
}

/** The value that arrived, as JSON (cut at 60 characters). */
function shown(x: unknown): string {
  const s = JSON.stringify(x) ?? String(x);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** One line per problem: the field, what was expected, what arrived. */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.map((issue) => {
    const at = where(issue);
    const expected = issue.message.startsWith('Invalid ')
      ? (issue.expected ?? 'a valid value')
      : issue.message;
    if (issue.type === 'strict_object' && issue.expected === 'never')
      return `${at || '(top level)'}: unknown key (${expected})`;
    if (expected.startsWith('missing;')) return `${at}: ${expected}`;
    return `${at || '(top level)'}: expected ${expected}, got ${shown(issue.input)}`;
  });
}

/**
 * Validate a parsed config: returns it with defaults filled in, or throws one error that lists
 * every problem (field, expected, received).
 * @example const cfg = validateConfig(TRANSLATE_CONFIG, JSON.parse(text), 'configs/translate-en-es.json');
 */
export function validateConfig<S extends ConfigSchema>(
  schema: S,
  input: unknown,
  name: string,
): v.InferOutput<S> {
  // valibot takes an array for an object; a config is never one.
  if (Array.isArray(input))
    throw new Error(`config ${name}: expected a JSON object ({ "name": …, … }), got an array`);
  const r = v.safeParse(schema, input);
  if (r.success) return r.output;
  const lines = formatIssues(r.issues);
  throw new Error(
    `config ${name}: ${lines.length === 1 ? 'invalid' : `${lines.length} problems`}:\n${lines.map((l) => `  - ${l}`).join('\n')}`,
  );
}
