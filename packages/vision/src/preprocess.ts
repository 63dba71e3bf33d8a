// Turns tensors, ImageData-like pixel buffers and (in browsers) canvases/images/video frames into [b, h, w, 3] floats.
import * as tf from '@tensorflow/tfjs-core';
import { resizeImages } from './resize';

/** ImageData-like pixels; channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA) are inferred from the length. */
export interface PixelBuffer {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

/** Browser pixel sources handed to tf.browser.fromPixels (only touched when the DOM exists). */
export type BrowserImageSource = Parameters<typeof tf.browser.fromPixels>[0];

/**
 * A tensor is `[h, w, c]` or `[b, h, w, c]`, c ∈ 1–4; int32 values are 0–255, float values 0–1.
 */
export type ImageInput = PixelBuffer | tf.Tensor3D | tf.Tensor4D | BrowserImageSource;

/** How pixel values in [0, 1] are mapped for a network. */
export type Normalization =
  | 'zero-one'
  | 'minus-one-one'
  | { mean: [number, number, number]; std: [number, number, number] };

export interface PreprocessOptions {
  /** Resize to [height, width]; omitted keeps the size (then batching needs equal sizes). */
  size?: [number, number];
  /** Default 'zero-one' (no change). */
  normalization?: Normalization;
  /** Colour transparent pixels are composited over, RGB in [0, 1]; default white. */
  background?: [number, number, number];
}

function isPixelBuffer(x: unknown): x is PixelBuffer {
  const o = x as PixelBuffer;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.width === 'number' &&
    typeof o.height === 'number' &&
    (o.data instanceof Uint8Array || o.data instanceof Uint8ClampedArray)
  );
}

/**
 * Pixel buffer → Float32 RGB in [0, 1], alpha composited. When `size` asks for a shrink of
 * f ≥ 2, box-averages f×f blocks while reading, so a 40 MP input never becomes a 40 MP float tensor.
 */
function pixelBufferToTensor(
  img: PixelBuffer,
  size: [number, number] | undefined,
  bg: [number, number, number],
): tf.Tensor4D {
  const { width: w, height: h, data } = img;
  const c = data.length / (w * h);
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 1 || h < 1 || ![1, 2, 3, 4].includes(c)) {
    throw new Error(
      `pixel buffer ${w}×${h} has ${data.length} bytes; expected width*height*{1,2,3,4} (gray, gray+alpha, RGB, RGBA)`,
    );
  }
  const f = size ? Math.max(1, Math.min(Math.floor(h / size[0]), Math.floor(w / size[1]))) : 1;
  const oh = Math.floor(h / f);
  const ow = Math.floor(w / f);
  const out = new Float32Array(oh * ow * 3);
  const inv = 1 / (255 * f * f);
  for (let y = 0; y < oh * f; y++) {
    const orow = Math.floor(y / f) * ow;
    for (let x = 0; x < ow * f; x++) {
      const k = (y * w + x) * c;
      const gray = c <= 2;
      const a = c === 2 || c === 4 ? (data[k + c - 1] as number) / 255 : 1;
      const o = (orow + Math.floor(x / f)) * 3;
      for (let ch = 0; ch < 3; ch++) {
        const v = data[gray ? k : k + ch] as number;
        out[o + ch] = (out[o + ch] as number) + (v * a + 255 * (bg[ch] as number) * (1 - a)) * inv;
      }
    }
  }
  return tf.tensor4d(out, [1, oh, ow, 3]);
}

/** [h,w,c] or [b,h,w,c] with c ∈ 1–4 → float [b,h,w,3] in [0,1], alpha composited over `bg`. */
function tensorToRgb(t: tf.Tensor3D | tf.Tensor4D, bg: [number, number, number]): tf.Tensor4D {
  return tf.tidy(() => {
    const x4 = (t.rank === 3 ? tf.expandDims(t, 0) : t) as tf.Tensor4D;
    const c = x4.shape[3];
    if (t.rank !== 3 && t.rank !== 4)
      throw new Error(`image tensor must be [h,w,c] or [b,h,w,c], got rank ${t.rank}`);
    if (![1, 2, 3, 4].includes(c))
      throw new Error(
        `image tensor has ${c} channels; expected 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)`,
      );
    const x = t.dtype === 'int32' ? tf.div(tf.cast(x4, 'float32'), 255) : tf.cast(x4, 'float32'); // [b,h,w,c]
    const colourChannels = c <= 2 ? 1 : 3;
    let rgb = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, colourChannels]);
    if (colourChannels === 1) rgb = tf.tile(rgb, [1, 1, 1, 3]); // [b,h,w,3]
    if (c === 2 || c === 4) {
      const a = tf.slice(x, [0, 0, 0, c - 1], [-1, -1, -1, 1]); // [b,h,w,1]
      rgb = tf.add(tf.mul(rgb, a), tf.mul(tf.tensor1d(bg), tf.sub(1, a)));
    }
    return rgb as tf.Tensor4D;
  });
}

/** Maps [0,1] images per `norm`. */
export function normalizeImages(
  images: tf.Tensor4D,
  norm: Normalization = 'zero-one',
): tf.Tensor4D {
  return tf.tidy(() => {
    if (norm === 'zero-one') return tf.clone(images);
    if (norm === 'minus-one-one') return tf.sub(tf.mul(images, 2), 1);
    if (norm.std.some((s) => s === 0))
      throw new Error(`normalization std must be non-zero, got [${norm.std}]`);
    return tf.div(tf.sub(images, tf.tensor1d(norm.mean)), tf.tensor1d(norm.std));
  });
}

function hasDom(): boolean {
  return (
    typeof document !== 'undefined' ||
    typeof OffscreenCanvas !== 'undefined' ||
    typeof ImageBitmap !== 'undefined'
  );
}

/**
 * One image (or a tensor batch) → `[b, h, w, 3]` float32, composited, resized, normalised.
 *
 * @example
 * const x = imageToTensor({ width: 2, height: 1, data: new Uint8ClampedArray([255,0,0,255, 0,0,0,0]) }, { size: [32, 32] });
 */
export function imageToTensor(input: ImageInput, options: PreprocessOptions = {}): tf.Tensor4D {
  const bg = options.background ?? [1, 1, 1];
  return tf.tidy(() => {
    let rgb: tf.Tensor4D;
    if (input instanceof tf.Tensor) rgb = tensorToRgb(input, bg);
    else if (isPixelBuffer(input)) rgb = pixelBufferToTensor(input, options.size, bg);
    else if (hasDom()) rgb = tensorToRgb(tf.browser.fromPixels(input, 4), bg);
    else
      throw new Error(
        'imageToTensor expected a tensor or {width, height, data} pixel buffer (canvas/img/video sources need a browser)',
      );
    const sized = options.size ? resizeImages(rgb, options.size) : rgb;
    return normalizeImages(sized, options.normalization ?? 'zero-one');
  });
}

/**
 * Several images → one `[b, h, w, 3]` batch; `size` is required unless all inputs match.
 *
 * @example
 * const batch = imagesToBatch([imgA, imgB], { size: [64, 64] }); // [2, 64, 64, 3]
 */
export function imagesToBatch(inputs: ImageInput[], options: PreprocessOptions = {}): tf.Tensor4D {
  if (inputs.length === 0) throw new Error('imagesToBatch expected at least one image, got []');
  return tf.tidy(() => {
    const parts = inputs.map((x) => imageToTensor(x, options));
    const first = parts[0] as tf.Tensor4D;
    for (const p of parts) {
      if (p.shape[1] !== first.shape[1] || p.shape[2] !== first.shape[2]) {
        throw new Error(
          `imagesToBatch: images differ in size (${first.shape[1]}×${first.shape[2]} vs ${p.shape[1]}×${p.shape[2]}); pass options.size`,
        );
      }
    }
    return tf.concat(parts, 0);
  });
}
