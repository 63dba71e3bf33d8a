// Seq2Seq model configuration: one typed record, defaults, and validation.

/** Attention scoring: Bahdanau additive, Luong general ("dot" through a learned matrix), or none. */
export type AttentionKind = 'additive' | 'dot' | 'none';

/** Every knob of the encoder-decoder. All fields are plain JSON so the config travels inside model.json. */
export interface Seq2SeqConfig {
  /** Source vocabulary size including PAD=0, BOS=1, EOS=2, UNK=3. */
  srcVocab: number;
  /** Target vocabulary size including the four specials. */
  tgtVocab: number;
  /** Embedding width for both source and target tokens. */
  embDim: number;
  /** Decoder LSTM units; also the width of the attentional vector fed to the output layer. */
  hidden: number;
  /** Encoder LSTM units per direction (memory width is 2x this when bidirectional). */
  encoderHidden: number;
  /** Stacked encoder LSTM layers. */
  encoderLayers: number;
  /** Stacked decoder LSTM layers. */
  decoderLayers: number;
  /** Run the encoder in both directions and concatenate (memory = [fwd; bwd]). */
  bidirectional: boolean;
  /** Attention scoring function over the encoder memory. */
  attention: AttentionKind;
  /** Width of the additive attention's hidden layer (ignored by 'dot' and 'none'). */
  attentionDim: number;
  /** Dropout rate on embeddings, between layers and on the attentional vector (training only). */
  dropout: number;
  /** Label smoothing epsilon in the cross-entropy (0 = plain NLL). */
  labelSmoothing: number;
  /** Longest target (in tokens, EOS included) produced by greedy and beam decoding. */
  maxLen: number;
  /** Share the target embedding with the output projection (adds a [hidden, embDim] projection). */
  tieEmbeddings: boolean;
  /**
   * Feed the previous attentional vector into the decoder LSTM (Luong input feeding). true: the
   * recurrence must run step by step in training; false: the decoder LSTM runs as one fused
   * sequence op and attention is computed for all steps at once (several times faster to train).
   */
  inputFeeding: boolean;
  /** Seed for weight initialisation. */
  seed: number;
}

/** Defaults sized for a small translation model (~256 hidden is the browser target). */
export const DEFAULT_CONFIG: Seq2SeqConfig = {
  srcVocab: 1000,
  tgtVocab: 1000,
  embDim: 128,
  hidden: 256,
  encoderHidden: 128,
  encoderLayers: 1,
  decoderLayers: 1,
  bidirectional: true,
  attention: 'additive',
  attentionDim: 128,
  dropout: 0.1,
  labelSmoothing: 0.1,
  maxLen: 50,
  tieEmbeddings: false,
  inputFeeding: true,
  seed: 42,
};

/**
 * Fill defaults and validate.
 *
 * @example
 * const cfg = resolveConfig({ srcVocab: 40, tgtVocab: 40, hidden: 32 });
 */
export function resolveConfig(partial: Partial<Seq2SeqConfig> = {}): Seq2SeqConfig {
  const cfg: Seq2SeqConfig = { ...DEFAULT_CONFIG, ...partial };
  const ints: (keyof Seq2SeqConfig)[] = [
    'srcVocab',
    'tgtVocab',
    'embDim',
    'hidden',
    'encoderHidden',
    'encoderLayers',
    'decoderLayers',
    'attentionDim',
    'maxLen',
  ];
  for (const k of ints) {
    const v = cfg[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
      throw new Error(`Seq2SeqConfig.${k}: expected a positive integer, got ${JSON.stringify(v)}`);
    }
  }
  if (cfg.srcVocab < 5 || cfg.tgtVocab < 5) {
    throw new Error(
      `Seq2SeqConfig: vocabularies must hold the 4 specials plus at least one token, got srcVocab=${cfg.srcVocab} tgtVocab=${cfg.tgtVocab}`,
    );
  }
  if (!['additive', 'dot', 'none'].includes(cfg.attention)) {
    throw new Error(
      `Seq2SeqConfig.attention: expected 'additive' | 'dot' | 'none', got ${JSON.stringify(cfg.attention)}`,
    );
  }
  for (const k of ['dropout', 'labelSmoothing'] as const) {
    const v = cfg[k];
    if (typeof v !== 'number' || !(v >= 0 && v < 1))
      throw new Error(`Seq2SeqConfig.${k}: expected a number in [0, 1), got ${JSON.stringify(v)}`);
  }
  if (typeof cfg.inputFeeding !== 'boolean') {
    throw new Error(
      `Seq2SeqConfig.inputFeeding: expected a boolean, got ${JSON.stringify(cfg.inputFeeding)}`,
    );
  }
  if (typeof cfg.bidirectional !== 'boolean' || typeof cfg.tieEmbeddings !== 'boolean') {
    throw new Error(
      `Seq2SeqConfig: bidirectional and tieEmbeddings must be booleans, got ${JSON.stringify(cfg.bidirectional)}, ${JSON.stringify(cfg.tieEmbeddings)}`,
    );
  }
  if (!Number.isFinite(cfg.seed))
    throw new Error(
      `Seq2SeqConfig.seed: expected a finite number, got ${JSON.stringify(cfg.seed)}`,
    );
  return cfg;
}
