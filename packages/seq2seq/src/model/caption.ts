// CaptionModel: a SmallCnn feature grid as the memory of the seq2seq attention decoder (image → words).

import { UNK } from '@seqlab/text';
import { SmallCnn, type SmallCnnConfig } from '@seqlab/vision';
import * as tf from '@tensorflow/tfjs-core';
import { teacherForcingPair } from './batch';
import { Decoder, type DecoderMemory, type DecoderState } from './decoder';
import { tidy } from './layers';
import { maskedCrossEntropy } from './loss';
import { ParamStore } from './params';
import type { TrainableModel } from './seq2seq';

/** Every knob of the captioner. Plain JSON: it travels inside model.json. */
export interface CaptionConfig {
  /** Word vocabulary size including PAD=0, BOS=1, EOS=2, UNK=3. */
  vocab: number;
  /** Square input size images are resized to. */
  imageSize: number;
  /** Channels per CNN block (the last is the memory width). */
  channels: number[];
  /** Stride of each CNN block (the grid is imageSize / prod(strides)). */
  strides: number[];
  /** Convolutions per block. */
  convsPerBlock: number;
  /** Word embedding width. */
  embDim: number;
  /** Decoder LSTM units. */
  hidden: number;
  /** Attention over the grid: additive (Bahdanau) or dot (Luong general). */
  attention: 'additive' | 'dot';
  /** Additive attention hidden width. */
  attentionDim: number;
  /** Longest caption in tokens, EOS included. */
  maxLen: number;
  /** Weight-initialisation seed. */
  seed: number;
  /**
   * Position information. `coords` gives the CNN two coordinate input channels (CoordConv) and
   * appends each grid cell's (x, y) in [-1, 1] to its features in the decoder's memory, so
   * features and attention contexts say *where* as well as *what*: relations ("left of",
   * "above") and left-to-right order need it. `none` (the default, for models saved before this
   * option) leaves the CNN translation-invariant.
   */
  positional?: 'none' | 'coords';
  /**
   * Word dropout in training: each decoder input word after BOS is replaced by UNK with this
   * probability, so the next word must come from the image rather than from the words before it
   * (e.g. a shape word predicted from the picture, not from its colour word). 0 (default) is off.
   */
  wordDropout?: number;
}

export const DEFAULT_CAPTION_CONFIG: CaptionConfig = {
  vocab: 64,
  imageSize: 64,
  channels: [32, 64, 96],
  strides: [2, 2, 2],
  convsPerBlock: 1,
  embDim: 64,
  hidden: 192,
  attention: 'additive',
  attentionDim: 96,
  maxLen: 24,
  seed: 7,
  positional: 'none',
  wordDropout: 0,
};

/** (x, y) of each cell of an h×w grid, row-major, as cell centres scaled to [-1, 1]: [h*w, 2]. */
export function gridCoords(h: number, w: number): tf.Tensor2D {
  const v = new Float32Array(h * w * 2);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      v[(i * w + j) * 2] = w === 1 ? 0 : (2 * j) / (w - 1) - 1;
      v[(i * w + j) * 2 + 1] = h === 1 ? 0 : (2 * i) / (h - 1) - 1;
    }
  }
  return tf.tensor2d(v, [h * w, 2]);
}

/**
 * Replaces each decoder input id after the first column (BOS) by UNK with probability `rate`,
 * reproducibly for a given seed: ids [b, L] int32 → [b, L] int32.
 */
export function dropWords(input: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  return tf.tidy(() => {
    const [b, L] = input.shape;
    const u = tf.randomUniform([b, L], 0, 1, 'float32', seed);
    const notFirst = tf.concat([tf.zeros([b, 1], 'bool'), tf.ones([b, L - 1], 'bool')], 1);
    const drop = tf.logicalAnd(tf.less(u, rate), notFirst);
    return tf.where(drop, tf.fill([b, L], UNK, 'int32'), input) as tf.Tensor2D;
  });
}

/** A training batch: images [b, s, s, 3] in [0, 1] and caption ids (EOS-terminated). */
export interface CaptionBatch {
  images: Float32Array;
  count: number;
  captions: number[][];
  /** Side s of the batch's images; default the model's imageSize (the CNN resizes to it). */
  size?: number;
}

/**
 * @example
 * const m = new CaptionModel({ vocab: 40 });
 * const loss = m.loss(batch, { training: true, seed: 1 });
 * const [best] = await m.decode(imagesTensor, { beam: 3 });
 * m.dispose();
 */
export class CaptionModel implements TrainableModel<CaptionBatch> {
  readonly config: CaptionConfig;
  readonly params = new ParamStore();
  readonly cnn: SmallCnn;
  readonly decoder: Decoder;

  constructor(config: Partial<CaptionConfig> = {}) {
    this.config = { ...DEFAULT_CAPTION_CONFIG, ...config };
    const c = this.config;
    if (!Number.isInteger(c.vocab) || c.vocab < 5)
      throw new Error(`CaptionModel: vocab must be an integer ≥ 5, got ${c.vocab}`);
    if (c.channels.length !== c.strides.length || c.channels.length === 0) {
      throw new Error(
        `CaptionModel: channels and strides must be non-empty and equally long, got ${c.channels.length} and ${c.strides.length}`,
      );
    }
    if (c.positional !== undefined && c.positional !== 'none' && c.positional !== 'coords') {
      throw new Error(
        `CaptionModel: positional must be 'none' or 'coords', got ${JSON.stringify(c.positional)}`,
      );
    }
    const wd = c.wordDropout ?? 0;
    if (!(typeof wd === 'number' && wd >= 0 && wd < 1))
      throw new Error(
        `CaptionModel: wordDropout must be a number in [0, 1), got ${JSON.stringify(wd)}`,
      );
    const cnnConfig: Partial<SmallCnnConfig> = {
      channels: c.channels,
      strides: c.strides,
      convsPerBlock: c.convsPerBlock,
      inputSize: [c.imageSize, c.imageSize],
      seed: c.seed,
      ...(c.positional === 'coords' ? { coordChannels: true } : {}),
    };
    this.cnn = new SmallCnn(cnnConfig);
    for (const [name, v] of Object.entries(this.cnn.getWeights()))
      this.params.adopt(`cnn/${name}`, v as tf.Variable);
    const channels = this.cnn.outputChannels;
    this.decoder = new Decoder(
      {
        vocab: c.vocab,
        embDim: c.embDim,
        hidden: c.hidden,
        layers: 1,
        memoryDim: channels + (c.positional === 'coords' ? 2 : 0),
        bridgeDim: channels,
        attention: c.attention,
        attentionDim: c.attentionDim,
        tieEmbeddings: false,
      },
      this.params,
      'decoder',
      c.seed + 10_000,
    );
  }

  get gridSize(): [number, number] {
    return this.cnn.gridSize;
  }

  /**
   * CNN grid as decoder memory: memory [b, h*w, c] (c + 2 with `coords`: x then y in [-1, 1],
   * row-major cells), mask of ones, pooled summary [b, c].
   */
  private encode(
    images: tf.Tensor4D,
    training: boolean,
    folded = false,
  ): { memory: tf.Tensor3D; mask: tf.Tensor2D; pooled: tf.Tensor2D } {
    const { grid, pooled } = this.cnn.features(images, { training, folded });
    const [b, h, w, c] = grid.shape;
    let memory = tf.reshape(grid, [b, h * w, c]) as tf.Tensor3D; // [b, h*w, c]
    grid.dispose();
    if (this.config.positional === 'coords') {
      const withCoords = tf.tidy(() => {
        const coords = tf.tile(tf.expandDims(gridCoords(h, w), 0), [b, 1, 1]); // [b, h*w, 2]
        return tf.concat([memory, coords], 2) as tf.Tensor3D;
      });
      memory.dispose();
      memory = withCoords;
    }
    return { memory, mask: tf.ones([b, h * w]) as tf.Tensor2D, pooled };
  }

  loss(batch: CaptionBatch, opts: { training: boolean; seed: number }): tf.Scalar {
    this.assertAlive();
    const s = batch.size ?? this.config.imageSize;
    if (batch.images.length !== batch.count * s * s * 3) {
      throw new Error(
        `CaptionModel.loss: expected ${batch.count} images of ${s}×${s}×3 = ${batch.count * s * s * 3} values, got ${batch.images.length}; set batch.size to the images' side`,
      );
    }
    return tf.tidy(() => {
      const images = tf.tensor4d(batch.images, [batch.count, s, s, 3]);
      const { memory, mask, pooled } = this.encode(images, opts.training);
      const { mem, state } = this.decoder.init(memory, mask, pooled);
      const { input, output } = teacherForcingPair(batch.captions);
      const rate = opts.training ? (this.config.wordDropout ?? 0) : 0;
      const { logits } = this.decoder.teacherForced(
        mem,
        state,
        rate > 0 ? dropWords(input, rate, opts.seed) : input,
      );
      return maskedCrossEntropy(logits, output, 0);
    });
  }

  countTokens(batch: CaptionBatch): number {
    return batch.captions.reduce((n, c) => n + c.length, 0);
  }

  inputCount(images: tf.Tensor4D): number {
    return images.shape[0];
  }

  /** Image `i` of the batch (a new tensor: `generate` disposes it after decoding). */
  inputAt(images: tf.Tensor4D, i: number): tf.Tensor4D {
    return tf.slice(images, [i, 0, 0, 0], [1, -1, -1, -1]);
  }

  /**
   * Encode images [b, s, s, 3] (values in [0, 1]) and prepare the decoder, for `generate`; the
   * caller disposes both results.
   */
  begin(images: tf.Tensor4D): { mem: DecoderMemory; state: DecoderState } {
    this.assertAlive();
    return tidy(() => {
      const { memory, mask, pooled } = this.encode(images, false, true);
      return this.decoder.init(memory, mask, pooled);
    });
  }

  get isDisposed(): boolean {
    return this.params.isDisposed;
  }

  /** Disposes every variable once: the store owns the CNN's variables too. */
  dispose(): void {
    this.cnn.clearInferenceCache();
    this.params.dispose();
  }

  private assertAlive(): void {
    if (this.params.isDisposed)
      throw new Error('CaptionModel: used after dispose(); load or create a new one');
  }
}
