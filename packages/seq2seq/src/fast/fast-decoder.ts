// FastDecoder: a model's inference copy on seqlab's WebAssembly SIMD kernels — host encoder, host decoder steps, int8 output layer.
import { int8HeadSimdAvailable } from '@seqlab/kernels';
import type * as tf from '@tensorflow/tfjs-core';
import { hostSelectByDefault } from '../decode/select';
import type { Decoder } from '../model/decoder';
import type { Encoder } from '../model/encoder';
import { HostDecoder, type HostDecodingStart } from './host-decoder';
import { HostEncoder } from './host-encoder';
import { Int8Head } from './int8-head';
import { outputWeights } from './output-weights';

/** What to build; each part defaults to on where it helps (see {@link FastDecoder.from}). */
export interface FastDecoderOptions {
  /** The int8 output layer with exact picks (default: where the kernels are usable and vocabulary × hidden ≥ 32,768). */
  int8Head?: boolean;
  /** Host encoding (text encoder) and host decoder steps (default: where the kernels are usable). */
  hostDecoding?: boolean;
  /**
   * Smallest output layer (vocabulary × hidden) that gets the int8 head: 32,768 by default, below
   * which the float32 matmul costs less than the host trip; 0 gives every model one (tests).
   */
  minInt8Weights?: number;
}

/** Below this many output weights the float32 matmul costs less than the int8 head's host trip. */
const INT8_MIN_WEIGHTS = 32_768;

/**
 * Whether seqlab's decoding kernels are usable here: tokens are picked on the host (cpu and
 * wasm; webgl/webgpu keep logits on the GPU) and the runtime has WebAssembly SIMD.
 */
export function fastDecodingAvailable(): boolean {
  return hostSelectByDefault() && int8HeadSimdAvailable();
}

/**
 * Whether {@link FastDecoder.from} builds an int8 output layer: unless `opts` says no, where the
 * kernels are usable, for a layer large enough to gain (vocabulary × hidden ≥ 32,768; below that
 * the float32 matmul costs less than the host trip).
 * @example wantsInt8Head({}, { vocab: 4000, hidden: 256 }) // true on cpu/wasm with SIMD
 */
export function wantsInt8Head(
  opts: FastDecoderOptions,
  cfg: { readonly vocab: number; readonly hidden: number },
): boolean {
  return (
    opts.int8Head !== false &&
    fastDecodingAvailable() &&
    cfg.vocab * cfg.hidden >= (opts.minInt8Weights ?? INT8_MIN_WEIGHTS)
  );
}

/**
 * A copy of a trained model's weights that `generate` decodes with (pass it as `fast`): the text
 * encoder's (bi)LSTM and every greedy or beam decoder step as a handful of SIMD kernels, no tensor
 * op per time step; and an int8 output layer whose picks equal the float32 layer's. Outputs agree
 * with the tensor path to ~1e-6. The copy is taken now: build it once the weights are final, and
 * dispose it before the model. The model never refers to it.
 *
 * @example
 * const fast = FastDecoder.from(model);
 * const [[best]] = await generate(model, [[45, 12, 9, 2]], { beam: 4, fast });
 * fast.dispose();
 */
export class FastDecoder {
  private constructor(
    /** The text encoder on the host, or null (image models, or not asked for). */
    readonly encoder: HostEncoder | null,
    /** Decoder steps on the host, or null. */
    readonly decoder: HostDecoder | null,
    /** The int8 output layer, or null. */
    readonly head: Int8Head | null,
  ) {}

  /**
   * Build the parts `opts` ask for (by default those that help here; nothing where SIMD or a
   * host-picking backend is missing). `model.encoder` is used when it is a text encoder.
   */
  static from(
    model: { readonly decoder: Decoder; readonly encoder?: Encoder },
    opts: FastDecoderOptions = {},
  ): FastDecoder {
    const usable = fastDecodingAvailable();
    const dec = model.decoder;
    const head = wantsInt8Head(opts, dec.cfg)
      ? Int8Head.fromDense(
          outputWeights(dec),
          dec.weights().out.b.dataSync() as Float32Array,
          dec.cfg.hidden,
          dec.cfg.vocab,
        )
      : null;
    const host = opts.hostDecoding !== false && usable;
    const encoder = host && model.encoder ? hostEncoder(model.encoder) : null;
    return new FastDecoder(encoder, host ? hostDecoder(dec) : null, head);
  }

  /**
   * The decoding start of source id rows, computed wholly on the host (host encoder, then the
   * bridge and attention keys on the decoder's kernels: no tensor on the way), or null where this
   * copy cannot (no host encoder or decoder, or a decoding already running on it).
   */
  startFromIds(src: readonly (readonly number[])[]): HostDecodingStart | null {
    if (!this.encoder || !this.decoder?.idle) return null;
    return this.decoder.begin(this.encoder.encode(src), src.length);
  }

  /** True when nothing was built (decoding then runs on tensors). */
  get empty(): boolean {
    return !this.encoder && !this.decoder && !this.head;
  }

  private disposed = false;

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Frees the kernels' memory; idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.decoder?.dispose();
    this.head?.dispose();
    this.disposed = true;
  }
}

const read = (t: tf.Tensor) => t.dataSync() as Float32Array;

function hostEncoder(encoder: Encoder): HostEncoder | null {
  const w = encoder.weights();
  const dirs = encoder.cfg.bidirectional ? 2 : 1;
  return HostEncoder.create({
    vocab: encoder.cfg.vocab,
    embDim: encoder.cfg.embDim,
    hidden: encoder.cfg.hidden,
    bidirectional: encoder.cfg.bidirectional,
    embedding: read(w.embedding),
    layers: w.fwd.map((f, l) =>
      [f, w.bwd[l]].slice(0, dirs).map((c) => ({
        kernel: read(c?.kernel as tf.Tensor),
        recurrent: read(c?.recurrentKernel as tf.Tensor),
        bias: read(c?.bias as tf.Tensor),
      })),
    ),
  });
}

function hostDecoder(decoder: Decoder): HostDecoder | null {
  const { hidden, vocab, embDim, memoryDim, attentionDim } = decoder.cfg;
  const w = decoder.weights();
  const att = w.attention?.weights() ?? null;
  return HostDecoder.create({
    vocab,
    embDim,
    hidden,
    memoryDim,
    attention: w.attention ? w.attention.kind : 'none',
    attentionDim,
    feeds: w.feeds,
    embedding: read(w.embedding),
    cells: w.cells.map((c) => ({
      kernel: read(c.kernel),
      recurrent: read(c.recurrentKernel),
      bias: read(c.bias),
    })),
    wq: att?.wq ? read(att.wq) : null,
    v: att?.v ? read(att.v) : null,
    combine: w.combine ? { w: read(w.combine.w), b: read(w.combine.b) } : null,
    keys: att ? read(att.wk) : null,
    bridgeDim: decoder.cfg.bridgeDim,
    bridge: w.bridge.map((b) => ({
      wh: read(b.wh),
      bh: read(b.bh),
      wc: read(b.wc),
      bc: read(b.bc),
    })),
    // Read only if a decoding runs without the int8 head.
    out: () => ({ w: outputWeights(decoder), b: read(w.out.b) }),
  });
}
