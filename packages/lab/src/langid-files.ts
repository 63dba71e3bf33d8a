// The files of a language-ID model folder (model.json + weights.bin), built in memory.
import type { CharVocab } from './char-vocab';
import type { SequenceClassifier } from './classifier';
import type { BagOfCharsClassifier } from './feedforward';
import { exportParams } from './params';

/**
 * model.json text and weights.bin bytes for a character LSTM and its feed-forward companion;
 * `extra` (metrics, counts, provenance) goes into userDefinedMetadata. @seqlab/models'
 * loadLanguageId reads them back.
 * @example const { modelJson, weights } = langIdModelFiles(lstm, ff, vocab, LANGID_LABELS, 48, { metrics });
 */
export function langIdModelFiles(
  lstm: SequenceClassifier,
  ff: BagOfCharsClassifier,
  vocab: CharVocab,
  labels: readonly string[],
  maxChars: number,
  extra: Record<string, unknown> = {},
): { modelJson: string; weights: Uint8Array } {
  if (labels.length !== lstm.config.classes || labels.length !== ff.config.classes) {
    throw new Error(
      `langIdModelFiles: ${labels.length} labels for ${lstm.config.classes} (LSTM) and ${ff.config.classes} (feed-forward) classes`,
    );
  }
  const a = exportParams(lstm.params);
  const b = exportParams(ff.params);
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  const manifest = {
    format: 'seqlab-langid',
    formatVersion: 1,
    userDefinedMetadata: {
      task: 'langid',
      labels,
      chars: vocab.chars.join(''),
      maxChars,
      classifier: lstm.config,
      feedForward: ff.config,
      metrics: {},
      counts: {},
      ...extra,
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: [...a.specs, ...b.specs] }],
  };
  return {
    modelJson: `${JSON.stringify(manifest, null, 1)}\n`,
    weights: new Uint8Array(data.buffer),
  };
}
