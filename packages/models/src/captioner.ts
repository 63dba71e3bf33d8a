// Captioner pipeline: any image in, caption text + n-best + per-word attention over the CNN grid out.

import {
  type AllowedTokensFn,
  type CaptionModel,
  checkBeam,
  FastDecoder,
  generate,
  type Hypothesis,
  loadCaptionModel,
  prefixConstraint,
} from '@seqlab/seq2seq';
import { captionText, captionTokens, EOS, Vocab } from '@seqlab/text';
import { imageToTensor } from '@seqlab/vision';
import * as tf from '@tensorflow/tfjs-core';
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

/**
 * The images a caption model can read: every image is resized to the model's square input, so a
 * side shorter than `minSide` pixels has nothing to resize up from, and an aspect ratio past
 * `maxAspect` squeezes the scene into streaks the model never saw — either way it captions noise,
 * confidently ("a large red square square …"). Such images are refused with this reason instead.
 */
export const CAPTION_INPUT_LIMITS = { minSide: 8, maxAspect: 4 } as const;

/** Width and height of an image input (a [h, w, c] or [1, h, w, c] tensor, or a pixel buffer); null when unknown (DOM sources). */
function imageSize(image: ImageInput): [number, number] | null {
  if (image instanceof tf.Tensor) {
    const s = image.shape as number[];
    return s.length >= 3 ? [s[s.length - 2] as number, s[s.length - 3] as number] : null;
  }
  const o = image as { width?: unknown; height?: unknown };
  return typeof o.width === 'number' && typeof o.height === 'number' ? [o.width, o.height] : null;
}

/**
 * Refuse an image outside {@link CAPTION_INPUT_LIMITS}, saying what arrived and what is readable.
 * Sizes that are not positive integers are left to the pixel-buffer checks, which name them.
 */
export function checkCaptionImage(image: ImageInput): void {
  const size = imageSize(image);
  if (!size) return;
  const [w, h] = size;
  if (!(Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0)) return;
  const { minSide, maxAspect } = CAPTION_INPUT_LIMITS;
  const aspect = Math.max(w, h) / Math.min(w, h);
  if (Math.min(w, h) < minSide || aspect > maxAspect) {
    const why =
      Math.min(w, h) < minSide
        ? `${w < minSide && h < minSide ? 'both sides are' : w < minSide ? 'its width is' : 'its height is'} under ${minSide} px`
        : `its aspect ratio is ${aspect.toFixed(aspect < 10 ? 1 : 0)}:1, over ${maxAspect}:1`;
    throw new Error(
      `caption: the image is ${w}×${h} px, outside what the model can read (${why}); captions need at least ${minSide}×${minSide} px and an aspect ratio up to ${maxAspect}:1 — crop or pad it first`,
    );
  }
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
    /** The model's copy on seqlab's kernels (owned: disposed with the pipeline), or null for tensors only. */
    private readonly fast: FastDecoder | null = null,
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
    const { beam, nBest } = checkBeam(opts, 'caption');
    if (image instanceof tf.Tensor && image.isDisposed)
      throw new Error('caption: the image tensor was already disposed');
    checkCaptionImage(image);
    const allowedTokens = opts.closed ? this.closedConstraint() : undefined;
    const s = this.imageSize;
    const x = imageToTensor(image, { size: [s, s] }); // [1, s, s, 3] in [0, 1]
    let hyps: Hypothesis[] | undefined;
    try {
      [hyps] = await generate(this.model, x, {
        beam,
        nBest,
        maxLen: opts.maxLength ?? this.model.config.maxLen,
        fast: this.fast,
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
    this.fast?.dispose();
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
    const c = new CaptionerPipeline(
      makeCard(meta, md, handler.sizeBytes()),
      model,
      vocab,
      known,
      FastDecoder.from(model, opts),
    );
    if (!opts.skipWarmup) {
      const s = Math.max(model.config.imageSize, CAPTION_INPUT_LIMITS.minSide);
      await c.caption({ width: s, height: s, data: new Uint8ClampedArray(s * s * 4).fill(255) });
    }
    return c;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
