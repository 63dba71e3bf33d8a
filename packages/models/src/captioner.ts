// Captioner pipeline: any image in, caption text + n-best + per-word attention over the CNN grid out.

import {
  type AllowedTokensFn,
  EOS,
  type Hypothesis,
  loadModel,
  prefixConstraint,
  type SaveOptions,
  saveParams,
} from '@seqlab/seq2seq';
import { captionText, captionTokens, Vocab } from '@seqlab/text';
import { imageToTensor } from '@seqlab/vision';
import * as tf from '@tensorflow/tfjs-core';
import { type CaptionConfig, CaptionModel, DEFAULT_CAPTION_CONFIG } from './caption-model';
import { prepareDecoder } from './host-decoding';
import { makeCard, parseMetadata } from './metadata';
import { type ModelSource, readJson, sourceHandler } from './source';
import type {
  Caption,
  Captioner,
  DecodeOptions,
  ImageInput,
  ModelCard,
  PipelineLoadOptions,
} from './types';

/** Largest input size a saved caption model may declare (images are resized to it). */
const MAX_IMAGE_SIZE = 1024;

/** `format` of a saved caption model. */
export const CAPTION_FORMAT = 'seqlab-caption';

/** Save a caption model's weights and config (vocab and card are written by the caller). */
export async function saveCaptionModel(
  model: CaptionModel,
  handler: tf.io.IOHandler,
  opts: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  return saveParams(model.params, { format: CAPTION_FORMAT, config: model.config }, handler, opts);
}

/** Load a caption model saved by {@link saveCaptionModel}. */
export async function loadCaptionModel(
  handler: tf.io.IOHandler,
  where = 'model.json',
): Promise<{ model: CaptionModel; userDefinedMetadata?: Record<string, unknown> }> {
  return loadModel(
    handler,
    CAPTION_FORMAT,
    (config, data) => {
      const c = { ...DEFAULT_CAPTION_CONFIG, ...(config as Partial<CaptionConfig>) };
      // Refuse impossible configs before allocating: embeddings, recurrent kernel and output layer
      // need ≥ 1 byte per value, and every image is resized to imageSize² before the CNN.
      const atLeast = c.vocab * c.embDim + c.hidden * c.vocab + 4 * c.hidden * c.hidden + c.vocab;
      if (!(c.imageSize >= 1 && c.imageSize <= MAX_IMAGE_SIZE)) {
        throw new Error(
          `${where}: invalid caption config: imageSize must be in 1..${MAX_IMAGE_SIZE}, got ${JSON.stringify(c.imageSize)}`,
        );
      }
      if (!(atLeast <= data.bytes)) {
        throw new Error(
          `${where}: weight data is ${data.bytes} bytes, too small for this config (vocab ${c.vocab}, embDim ${c.embDim}, hidden ${c.hidden} need at least ${atLeast} weight values): truncated shard or corrupt config; refusing to build the model`,
        );
      }
      try {
        return new CaptionModel(c);
      } catch (e) {
        throw new Error(`${where}: invalid caption config: ${(e as Error).message}`);
      }
    },
    where,
  );
}

/**
 * Closed-set decoding over `known` captions: a trie of their token ids, so a decoder can write
 * only those (see {@link prefixConstraint}).
 *
 * @example
 * const closed = knownCaptionsConstraint(['thumbs up', 'red heart'], vocab);
 * await model.decode(images, { allowedTokens: closed });
 */
export function knownCaptionsConstraint(known: readonly string[], vocab: Vocab): AllowedTokensFn {
  return prefixConstraint(
    known.map((c) => vocab.encode(captionTokens(c))),
    EOS,
  );
}

/** Caption ids → words (specials dropped). */
export function captionWords(vocab: Vocab, ids: readonly number[]): string[] {
  return vocab.decode(ids);
}

/**
 * @example
 * const c = await loadCaptioner(httpSource('/models/caption-shapes'));
 * const r = await c.caption({ width: 64, height: 64, data: rgba }, { beam: 3 });
 * r.text; // 'a small red circle left of a large blue square'
 */
export class CaptionerPipeline implements Captioner {
  readonly task = 'caption' as const;
  private disposed = false;
  private closedSet: AllowedTokensFn | null = null;

  /**
   * `known`: the captions seen in training (the model folder's `captions.json`), which
   * `caption(image, { closed: true })` restricts its output to.
   */
  constructor(
    readonly card: ModelCard,
    private readonly model: CaptionModel,
    private readonly vocab: Vocab,
    readonly known: readonly string[] = [],
  ) {}

  /** Whether closed-set decoding is available (the model came with its list of known captions). */
  get canDecodeClosed(): boolean {
    return this.known.length > 0;
  }

  private closedConstraint(): AllowedTokensFn {
    if (!this.canDecodeClosed)
      throw new Error(
        'caption: closed: true needs the captions the model was trained on (captions.json, named by files.captions in model.json); this model has none',
      );
    // Built on first use.
    this.closedSet ??= knownCaptionsConstraint(this.known, this.vocab);
    return this.closedSet;
  }

  get imageSize(): number {
    return this.model.config.imageSize;
  }

  async caption(image: ImageInput, opts: DecodeOptions = {}): Promise<Caption> {
    this.assertAlive();
    const beam = opts.beam ?? 1;
    if (!Number.isInteger(beam) || beam < 1 || beam > 16)
      throw new Error(`caption: beam must be an integer in 1..16, got ${beam}`);
    const nBest = opts.nBest ?? beam;
    if (!Number.isInteger(nBest) || nBest < 1 || nBest > beam)
      throw new Error(`caption: nBest must be an integer in 1..beam (${beam}), got ${nBest}`);
    if (image instanceof tf.Tensor && image.isDisposed)
      throw new Error('caption: the image tensor was already disposed');
    const allowedTokens = opts.closed ? this.closedConstraint() : undefined;
    const s = this.imageSize;
    const x = imageToTensor(image, { size: [s, s] }); // [1, s, s, 3] in [0, 1]
    let hyps: Hypothesis[] | undefined;
    try {
      [hyps] = await this.model.decode(x, {
        beam,
        nBest,
        maxLen: opts.maxLength ?? this.model.config.maxLen,
        ...(allowedTokens ? { allowedTokens } : {}),
      });
    } finally {
      x.dispose();
    }
    const best = hyps?.[0];
    const gridSize = this.model.gridSize;
    if (!best) return { text: '', score: 0, tokens: [], attention: [], gridSize, nBest: [] };
    const tokens = captionWords(this.vocab, best.tokens);
    return {
      text: captionText(tokens),
      score: best.score,
      tokens,
      attention: best.attention.slice(0, best.tokens.length),
      gridSize,
      nBest: (hyps ?? []).map((h) => ({
        text: captionText(captionWords(this.vocab, h.tokens)),
        score: h.score,
      })),
    };
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    if (this.disposed) return;
    this.model.dispose();
    this.disposed = true;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error('Captioner: used after dispose(); load the model again');
  }
}

/** The `captions.json` of a caption model: a non-empty array of caption strings. */
export function parseKnownCaptions(raw: unknown, where: string): string[] {
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    !raw.every((c) => typeof c === 'string' && c.trim() !== '')
  ) {
    const got = Array.isArray(raw) ? `an array of ${raw.length}` : typeof raw;
    throw new Error(`${where}: expected a non-empty array of caption strings, got ${got}`);
  }
  return raw as string[];
}

/** Load a caption model folder (model.json + shards + vocab.json + card.md) from a source. */
export async function loadCaptioner(
  src: ModelSource,
  opts: PipelineLoadOptions = {},
): Promise<CaptionerPipeline> {
  const handler = sourceHandler(src, opts.onProgress);
  const { model, userDefinedMetadata } = await loadCaptionModel(
    handler,
    `${src.location}/model.json`,
  );
  try {
    const meta = parseMetadata(userDefinedMetadata, `${src.location}/model.json`, 'caption');
    const vocabFile = meta.files.vocab ?? 'vocab.json';
    let vocab: Vocab;
    try {
      vocab = Vocab.fromJSON((await readJson(src, vocabFile)) as object);
    } catch (e) {
      throw new Error(`${src.location}/${vocabFile}: ${(e as Error).message}`);
    }
    if (vocab.size !== model.config.vocab) {
      throw new Error(
        `${src.location}/${vocabFile}: vocab has ${vocab.size} words but the weights expect ${model.config.vocab}`,
      );
    }
    const md = meta.files.card
      ? new TextDecoder().decode(await src.read(meta.files.card).catch(() => new Uint8Array()))
      : '';
    const known = meta.files.captions
      ? parseKnownCaptions(
          await readJson(src, meta.files.captions),
          `${src.location}/${meta.files.captions}`,
        )
      : [];
    const c = new CaptionerPipeline(makeCard(meta, md, handler.sizeBytes()), model, vocab, known);
    prepareDecoder(model.decoder, opts);
    if (!opts.skipWarmup) {
      const s = model.config.imageSize;
      await c.caption({ width: s, height: s, data: new Uint8ClampedArray(s * s * 4).fill(255) });
    }
    return c;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
