// Public types of the task pipelines: what load() returns and what its methods produce.
import type { CopyClass } from '@seqlab/text';
import type * as tf from '@tensorflow/tfjs-core';

/** Names of the pretrained models shipped in the repository's models/ folder. */
export type ModelName =
  | 'translate-en-es'
  | 'translate-en-fr'
  | 'translate-en-de'
  | 'caption-shapes'
  | 'caption-emoji';

export type Task = 'translate' | 'caption';

/** Progress while loading: fraction in [0, 1] plus what is being fetched. */
export interface LoadProgress {
  fraction: number;
  loadedBytes: number;
  totalBytes: number;
  file?: string;
}

export interface LoadOptions {
  /** Called as model files arrive. */
  onProgress?: (p: LoadProgress) => void;
  /**
   * Where named models live, for this call only (overrides `env.modelHost`): an http(s) URL, a
   * path on the page's origin, or (Node) a folder. Checked like `env.modelHost`.
   */
  baseUrl?: string;
  /** Skip the warm-up inference that load() runs by default. */
  skipWarmup?: boolean;
  /**
   * Decode with an int8 copy of the output layer on cpu/wasm (default true; see
   * Decoder.useInt8Head in @seqlab/seq2seq): the same tokens as the float32 layer, with
   * log-probabilities within ~1e-3, and a large vocabulary's greedy decoding ~25% faster. Used
   * only where the layer is large enough to gain (vocabulary × hidden ≥ 32,768). False keeps
   * the float32 layer.
   */
  int8Head?: boolean;
  /**
   * Run greedy decoding's steps on the host with WebAssembly SIMD kernels on cpu/wasm (default
   * true; see Decoder.useHostDecoding in @seqlab/seq2seq): no tensor op per step, the same
   * results to ~1e-6 (a Shapes caption ~2× faster). False keeps the per-step tensor ops.
   */
  hostDecoding?: boolean;
}

/** The options the task loaders take from {@link LoadOptions} (the base URL is the source's). */
export type PipelineLoadOptions = Pick<
  LoadOptions,
  'onProgress' | 'skipWarmup' | 'int8Head' | 'hostDecoding'
>;

/** What the model card (card.md + config) says, in JSON. */
export interface ModelCard {
  name: string;
  task: Task;
  /** Human description, e.g. 'English → Spanish'. */
  title: string;
  /** Headline metrics as measured at training time, e.g. { bleu: 31.2, chrf: 55.0 }. */
  metrics: Record<string, number>;
  /** Bytes of weights on disk. */
  sizeBytes: number;
  /** Markdown of card.md. */
  markdown: string;
  /** Training data summary and licences. */
  data: string;
}

export interface DecodeOptions {
  /** Beam width; 1 (default) is greedy. */
  beam?: number;
  /** How many hypotheses to return in nBest (≤ beam). Default: beam. */
  nBest?: number;
  /** Maximum output tokens. */
  maxLength?: number;
  /**
   * Captioners only: write only captions the model saw in training (closed-set decoding over
   * the list in its `captions.json`), e.g. the emoji names. Errors on a model without that list.
   */
  closed?: boolean;
  /**
   * Translators only: kinds of name copied as written instead of translated — 'url', 'email',
   * 'path', 'file', 'identifier' (GitHub, x86_64, IPv6), 'acronym' (UDP, GTK+), 'unseen' (words
   * absent from the model's training sources: needs its word list). Default: `DEFAULT_COPY`
   * ('unseen' left out for a model without a word list); `[]` copies none of them.
   * @example await t.translate('Stream to a network via UDP', { copy: ['acronym'] })
   */
  copy?: readonly CopyClass[];
  /**
   * Translators only: beam search's GNMT length penalty α, 0..5 (0: raw log-probabilities;
   * higher favours longer outputs). Default: the model's own (`settings.lengthPenalty` in its
   * model.json, chosen on its dev set), else `TRANSLATE_LENGTH_PENALTY`; greedy ignores it.
   * @example await t.translate('Open the file', { beam: 4, lengthPenalty: 1 })
   */
  lengthPenalty?: number;
}

export interface Hypothesis {
  text: string;
  /** Length-normalised log-probability. */
  score: number;
}

export interface Translation extends Hypothesis {
  /** Source subword tokens as shown to a user (placeholders as their original text). */
  sourceTokens: string[];
  /** Target subword tokens, same convention. */
  targetTokens: string[];
  /** attention[i][j]: weight target token i put on source token j. */
  attention: number[][];
  /** Placeholders found in the source (e.g. '%s', '{name}'), all present in `text`. */
  placeholders: string[];
  nBest: Hypothesis[];
}

export interface Translator {
  readonly task: 'translate';
  readonly card: ModelCard;
  /** Source and target language codes, e.g. 'en', 'es'. */
  readonly languages: { source: string; target: string };
  /** Beam search's length penalty α when a call sets none (the model's own, else the default). */
  readonly lengthPenalty: number;
  translate(text: string, opts?: DecodeOptions): Promise<Translation>;
  translateBatch(texts: readonly string[], opts?: DecodeOptions): Promise<Translation[]>;
  dispose(): void;
}

/** Pixels in RGBA order (ImageData-like), or a [h, w, 3|4] tensor with values 0–255. */
export type ImageInput =
  | { width: number; height: number; data: Uint8ClampedArray | Uint8Array }
  | tf.Tensor3D;

export interface Caption extends Hypothesis {
  tokens: string[];
  /** attention[i]: weights word i put on the feature grid, row-major, length gridSize[0]*gridSize[1]. */
  attention: number[][];
  gridSize: [number, number];
  nBest: Hypothesis[];
}

export interface Captioner {
  readonly task: 'caption';
  readonly card: ModelCard;
  /** Input size the model was trained at, e.g. 64 (images are resized to it). */
  readonly imageSize: number;
  /** Whether `caption(image, { closed: true })` works: the model came with its known captions. */
  readonly canDecodeClosed: boolean;
  caption(image: ImageInput, opts?: DecodeOptions): Promise<Caption>;
  dispose(): void;
}
