// Browser-safe model folders in memory: a trained translator or captioner as the files `load()` reads.
import {
  type CaptionModel,
  type Seq2Seq,
  saveCaptionModel,
  savedInfo,
  saveSeq2Seq,
  shardArtifacts,
} from '@seqlab/seq2seq';
import type { BpeTokenizer, Vocab } from '@seqlab/text';
import type * as tf from '@tensorflow/tfjs-core';

/** A model folder as file name → bytes (what a zip, IndexedDB or memorySource holds). */
export type ModelFiles = Record<string, Uint8Array>;

/**
 * A tf.io.IOHandler that writes model.json and its weight shards into `files` (names and layout
 * as `@seqlab/seq2seq/node`'s fileHandler: `group1-<hash>-shardIofN.bin`).
 *
 * @example
 * const files: ModelFiles = {};
 * await saveSeq2Seq(model, memoryFolderHandler(files));
 */
export function memoryFolderHandler(files: ModelFiles, modelFile = 'model.json'): tf.io.IOHandler {
  return {
    async save(a: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const { shards, json, weightBytes } = await shardArtifacts(a);
      for (const shard of shards) files[shard.name] = shard.bytes.slice();
      files[modelFile] = new TextEncoder().encode(JSON.stringify(json));
      return savedInfo(weightBytes);
    },
  };
}

/** What a translator trained outside the CLI says about itself (model.json metadata and card). */
export interface TranslatorFolderInfo {
  /** Folder name, e.g. 'my-en-fr'. */
  name: string;
  /** Language codes or names as the user gave them. */
  source: string;
  target: string;
  /** One line on the data, e.g. 'my-pairs.tsv, 1,204 pairs (1,100 trained on)'. */
  data: string;
  /** Held-out metrics at the end of training (bleu, chrf). */
  metrics: Record<string, number>;
  /** Markdown body of card.md (how it was trained). */
  card: string;
  /** The training sources' words, written to tokenizer.json for the `unseen` copy class. */
  sourceWords?: string[];
}

/**
 * A translation model folder in memory, in the format `load()`, `seqlab translate --model DIR`
 * and the web app read: model.json (float32 weights, seqlab-seq2seq format, task metadata),
 * weight shards, tokenizer.json (joint BPE) and card.md.
 */
export async function translatorFolder(
  model: Seq2Seq,
  tok: BpeTokenizer,
  info: TranslatorFolderInfo,
): Promise<ModelFiles> {
  const files: ModelFiles = {};
  const enc = new TextEncoder();
  await saveSeq2Seq(model, memoryFolderHandler(files), {
    userDefinedMetadata: {
      task: 'translate',
      name: info.name,
      title: `${info.source} → ${info.target} (trained in the page)`,
      files: { tokenizer: 'tokenizer.json', card: 'card.md' },
      metrics: info.metrics,
      data: info.data,
      settings: { source: info.source, target: info.target },
    },
  });
  files['tokenizer.json'] = enc.encode(
    JSON.stringify({
      joint: true,
      source: tok.toJSON(),
      ...(info.sourceWords ? { sourceWords: info.sourceWords } : {}),
    }),
  );
  files['card.md'] = enc.encode(info.card);
  return files;
}

/** What a captioner trained outside the CLI says about itself. */
export interface CaptionerFolderInfo {
  name: string;
  /** One line on the data, e.g. 'pets.zip, 120 images'. */
  data: string;
  metrics: Record<string, number>;
  card: string;
}

/**
 * A caption model folder in memory, as `seqlab train caption` writes it for image folders:
 * model.json (float32, seqlab-caption format, task metadata with the image size), weight shards,
 * vocab.json, captions.json (the training captions, for closed-set decoding) and card.md.
 */
export async function captionerFolder(
  model: CaptionModel,
  vocab: Vocab,
  known: readonly string[],
  info: CaptionerFolderInfo,
): Promise<ModelFiles> {
  const files: ModelFiles = {};
  const enc = new TextEncoder();
  await saveCaptionModel(model, memoryFolderHandler(files), {
    userDefinedMetadata: {
      task: 'caption',
      name: info.name,
      title: `${info.name} (trained in the page)`,
      files: {
        vocab: 'vocab.json',
        card: 'card.md',
        ...(known.length ? { captions: 'captions.json' } : {}),
      },
      metrics: info.metrics,
      data: info.data,
      settings: { imageSize: model.config.imageSize },
    },
  });
  files['vocab.json'] = enc.encode(JSON.stringify(vocab.toJSON()));
  if (known.length) files['captions.json'] = enc.encode(`${JSON.stringify(known)}\n`);
  files['card.md'] = enc.encode(info.card);
  return files;
}
