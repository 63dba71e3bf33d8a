// Language-ID pipeline: which of English, Spanish, French or German a UI string is in, after every
// character (character LSTM), plus a one-word feed-forward classifier for contrast.
import {
  BagOfCharsClassifier,
  CharVocab,
  type ClassifierConfig,
  type FeedForwardConfig,
  importParams,
  type ParamSpec,
  SequenceClassifier,
} from '@seqlab/lab';
import type { LSTMGateRecord } from '@seqlab/rnn';
import { httpSource, type ModelSource, readJson } from './source';

/** What model.json of a language-ID model holds in userDefinedMetadata. */
interface LangIdMetadata {
  task: 'langid';
  labels: string[];
  chars: string;
  maxChars: number;
  classifier: ClassifierConfig;
  feedForward: FeedForwardConfig;
  metrics: Record<string, number>;
  counts: Record<string, number>;
}

/** The prediction for a whole string and for each of its prefixes. */
export interface LanguageIdResult {
  /** Most likely language code of the whole string (e.g. 'fr'). */
  language: string;
  /** Probability per language code for the whole string. */
  probs: Record<string, number>;
  /** After each character: the character and the probability per language code. */
  prefixes: { char: string; probs: Record<string, number> }[];
}

/**
 * A loaded language-ID model. Strings longer than the model's `maxChars` are read up to it.
 * @example
 * const lid = await loadLanguageId(httpSource('/models/langid'));
 * lid.identify('Abrir archivo').language; // 'es'
 * lid.dispose();
 */
export class LanguageIdPipeline {
  readonly task = 'langid' as const;
  private disposed = false;

  constructor(
    /** Language codes in class order. */
    readonly labels: readonly string[],
    /** Held-out metrics from training (accuracy, shortAccuracy, wordAccuracy…). */
    readonly metrics: Readonly<Record<string, number>>,
    /** card.md, Markdown. */
    readonly card: string,
    readonly maxChars: number,
    private readonly vocab: CharVocab,
    private readonly lstm: SequenceClassifier,
    private readonly ff: BagOfCharsClassifier,
  ) {}

  private named(p: readonly number[]): Record<string, number> {
    return Object.fromEntries(this.labels.map((l, i) => [l, p[i] ?? 0]));
  }

  private ids(text: string, what: string): { chars: string[]; ids: number[] } {
    if (this.disposed) throw new Error('LanguageId: used after dispose(); load the model again');
    if (typeof text !== 'string') throw new Error(`${what}: expected a string, got ${typeof text}`);
    const chars = [...text].slice(0, this.maxChars);
    return { chars, ids: this.vocab.encode(chars.join('')) };
  }

  /** The language of `text` and of every prefix of it (empty text: no prefixes, uniform probs). */
  identify(text: string): LanguageIdResult {
    const { chars, ids } = this.ids(text, 'identify');
    const rows = this.lstm.prefixProbs(ids);
    const last = rows[rows.length - 1] ?? this.labels.map(() => 1 / this.labels.length);
    const best = last.indexOf(Math.max(...last));
    return {
      language: this.labels[best] as string,
      probs: this.named(last),
      prefixes: rows.map((p, i) => ({ char: chars[i] as string, probs: this.named(p) })),
    };
  }

  /** The feed-forward (one-to-one) guess for one word, from its letters alone. */
  identifyWord(word: string): Record<string, number> {
    const { ids } = this.ids(word.trim(), 'identifyWord');
    if (ids.length === 0) throw new Error('identifyWord: expected a word, got an empty string');
    return this.named(this.ff.probs([ids])[0] as number[]);
  }

  /** The LSTM's gates, cell and hidden state per character of `text`. */
  gates(text: string): { chars: string[]; record: LSTMGateRecord } {
    const { chars, ids } = this.ids(text, 'gates');
    if (ids.length === 0) throw new Error('gates: expected at least one character, got none');
    return { chars, record: this.lstm.gates(ids) };
  }

  get units(): number {
    return this.lstm.config.units;
  }

  dispose(): void {
    if (this.disposed) return;
    this.lstm.dispose();
    this.ff.dispose();
    this.disposed = true;
  }
}

function parse(
  json: unknown,
  where: string,
): { meta: LangIdMetadata; specs: ParamSpec[]; file: string } {
  const j = json as {
    format?: string;
    userDefinedMetadata?: LangIdMetadata;
    weightsManifest?: { paths: string[]; weights: ParamSpec[] }[];
  } | null;
  const meta = j?.userDefinedMetadata;
  const group = j?.weightsManifest?.[0];
  if (j?.format !== 'seqlab-langid' || meta?.task !== 'langid' || !group?.paths[0]) {
    throw new Error(
      `${where}: expected a seqlab-langid model.json (format 'seqlab-langid', task 'langid', one weights file), got format ${JSON.stringify(j?.format)}`,
    );
  }
  return { meta, specs: group.weights, file: group.paths[0] };
}

/**
 * Loads a language-ID model folder (model.json, weights.bin, card.md) from a source or a URL.
 * @example const lid = await loadLanguageId('/models/langid');
 */
export async function loadLanguageId(from: ModelSource | string): Promise<LanguageIdPipeline> {
  const src = typeof from === 'string' ? httpSource(from) : from;
  const { meta, specs, file } = parse(
    await readJson(src, 'model.json'),
    `${src.location}/model.json`,
  );
  const [bytes, card] = await Promise.all([
    src.read(file),
    src.read('card.md').then(
      (b) => new TextDecoder().decode(b),
      () => '',
    ),
  ]);
  // Copy into an aligned buffer: the bytes may sit at any offset of a larger one.
  const data = new Float32Array(bytes.slice().buffer, 0, bytes.length / 4);
  const named = importParams(specs, data);
  const take = (names: string[]) =>
    Object.fromEntries(names.map((n) => [n, named[n]]).filter(([, t]) => t)) as typeof named;
  try {
    const vocab = new CharVocab([...meta.chars]);
    if (vocab.size !== meta.classifier.vocabSize) {
      throw new Error(
        `${src.location}/model.json: ${vocab.size} ids from chars, config says ${meta.classifier.vocabSize}`,
      );
    }
    const lstm = SequenceClassifier.fromTensors(
      meta.classifier,
      take(['embedding', 'kernel', 'recurrentKernel', 'bias', 'headKernel', 'headBias']),
    );
    const ff = BagOfCharsClassifier.fromTensors(
      meta.feedForward,
      take(['ffKernel1', 'ffBias1', 'ffKernel2', 'ffBias2']),
    );
    return new LanguageIdPipeline(meta.labels, meta.metrics, card, meta.maxChars, vocab, lstm, ff);
  } catch (e) {
    for (const t of Object.values(named)) if (!t.isDisposed) t.dispose();
    throw e;
  }
}
