// Test helpers: tiny models saved into in-memory model folders (model.json + one shard + extras).
import {
  type CaptionConfig,
  CaptionModel,
  Seq2Seq,
  saveCaptionModel,
  saveSeq2Seq,
} from '@seqlab/seq2seq';
import { BpeTokenizer, captionTokens, Vocab } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';

export type Files = Record<string, Uint8Array | string>;

/** Capture what a save handler receives and lay it out as the files of a model folder. */
export function captureHandler(): { handler: tf.io.IOHandler; files: () => Files } {
  let files: Files = {};
  return {
    handler: tf.io.withSaveHandler(async (a) => {
      const data = new Uint8Array(a.weightData as ArrayBuffer);
      const json = {
        modelTopology: a.modelTopology,
        format: a.format,
        generatedBy: a.generatedBy,
        convertedBy: null,
        weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: a.weightSpecs }],
        userDefinedMetadata: a.userDefinedMetadata,
      };
      files = { 'model.json': JSON.stringify(json), 'group1-shard1of1.bin': data };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    files: () => files,
  };
}

const CORPUS = [
  'Open the file',
  'Abrir el archivo',
  'Save the file as %s',
  'Guardar el archivo como %s',
  'Close all windows',
  'Cerrar todas las ventanas',
  'Print {count} pages',
  'Imprimir {count} páginas',
  'Quit',
  'Salir',
  'Settings',
  'Preferencias',
];

export async function tinyTranslatorFiles(seed = 1, hidden = 16): Promise<Files> {
  const tok = BpeTokenizer.train(CORPUS, { vocabSize: 400, minCharCount: 1 });
  const model = new Seq2Seq({
    srcVocab: tok.vocabSize,
    tgtVocab: tok.vocabSize,
    embDim: 8,
    hidden,
    encoderHidden: 8,
    attentionDim: 8,
    maxLen: 12,
    seed,
  });
  const cap = captureHandler();
  await saveSeq2Seq(model, cap.handler, {
    userDefinedMetadata: {
      task: 'translate',
      name: 'tiny-en-es',
      title: 'English → Spanish (tiny)',
      files: { tokenizer: 'tokenizer.json', card: 'card.md' },
      metrics: { bleu: 0 },
      data: 'test corpus',
      settings: { source: 'en', target: 'es' },
    },
  });
  model.dispose();
  return {
    ...cap.files(),
    'tokenizer.json': JSON.stringify({ joint: true, source: tok.toJSON() }),
    'card.md': '# tiny\n',
  };
}

export async function tinyCaptionerFiles(
  seed = 1,
  extra: Partial<CaptionConfig> = {},
  /** Known captions: written as captions.json and named by files.captions (closed-set decoding). */
  known?: string[],
): Promise<Files> {
  const vocab = Vocab.build([
    captionTokens('a small red circle'),
    captionTokens('a large blue square, a star and a triangle'),
  ]);
  const model = new CaptionModel({
    vocab: vocab.size,
    channels: [4, 8],
    strides: [2, 2],
    embDim: 8,
    hidden: 16,
    attentionDim: 8,
    maxLen: 10,
    seed,
    imageSize: 16,
    ...extra,
  });
  const cap = captureHandler();
  await saveCaptionModel(model, cap.handler, {
    userDefinedMetadata: {
      task: 'caption',
      name: 'tiny-caption',
      title: 'tiny',
      files: {
        vocab: 'vocab.json',
        card: 'card.md',
        ...(known ? { captions: 'captions.json' } : {}),
      },
      metrics: {},
      data: 'test',
      settings: { imageSize: 16 },
    },
  });
  model.dispose();
  return {
    ...cap.files(),
    'vocab.json': JSON.stringify(vocab.toJSON()),
    'card.md': '# tiny caption\n',
    ...(known ? { 'captions.json': JSON.stringify(known) } : {}),
  };
}
