// Bilinear image resize with a box (area) prefilter when shrinking by 2× or more, so downscaled images do not alias.
import * as tf from '@tensorflow/tfjs-core';

export interface ResizeOptions {
  /** Average-pool by the integer shrink factor before bilinear resampling (default true). */
  antialias?: boolean;
}

/**
 * Resizes `[b, h, w, c]` to `[b, size[0], size[1], c]`; always returns a new tensor.
 *
 * @example
 * const small = resizeImages(big, [64, 64]); // [b, 64, 64, 3]
 */
export function resizeImages(
  images: tf.Tensor4D,
  size: [number, number],
  options: ResizeOptions = {},
): tf.Tensor4D {
  const [th, tw] = size;
  if (!Number.isInteger(th) || !Number.isInteger(tw) || th < 1 || tw < 1) {
    throw new Error(`resizeImages expected a positive integer [height, width], got [${size}]`);
  }
  const [, h, w] = images.shape;
  if (h === th && w === tw) return tf.clone(images);
  return tf.tidy(() => {
    let x = images;
    const fh = Math.floor(h / th);
    const fw = Math.floor(w / tw);
    if ((options.antialias ?? true) && (fh >= 2 || fw >= 2)) {
      const kh = Math.max(fh, 1);
      const kw = Math.max(fw, 1);
      x = tf.avgPool(tf.cast(x, 'float32') as tf.Tensor4D, [kh, kw], [kh, kw], 'valid'); // [b, h/kh, w/kw, c]
    }
    if (x.shape[1] === th && x.shape[2] === tw) return tf.cast(x, 'float32') as tf.Tensor4D;
    return tf.image.resizeBilinear(x, [th, tw], false, true); // [b, th, tw, c]
  });
}
