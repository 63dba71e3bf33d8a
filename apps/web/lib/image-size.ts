// Image size maths: downscale to fit, centre-crop to a square, and limits for untrusted files.

/** Largest side we decode a picked file to; the model needs far less, the preview a little more. */
export const DECODE_MAX_SIDE = 512;
/** Files beyond this many pixels are refused before decoding (a 100 MP RGBA bitmap is 400 MB). */
export const MAX_SOURCE_PIXELS = 100_000_000;
/** Browsers' own canvas limit is ~32k per side; refuse beyond it with a clear message. */
export const MAX_SOURCE_SIDE = 32_767;

export interface Size {
  width: number;
  height: number;
}

/**
 * Size that fits inside `maxSide`×`maxSide`, keeping the aspect ratio; never upscales and
 * never returns a 0-pixel side.
 *
 * @example
 * fitWithin({ width: 4000, height: 3000 }, 512); // { width: 512, height: 384 }
 */
export function fitWithin(src: Size, maxSide: number): Size {
  checkSize(src);
  if (!(maxSide >= 1)) throw new Error(`maxSide must be ≥ 1 pixel, got ${maxSide}.`);
  const scale = Math.min(1, maxSide / Math.max(src.width, src.height));
  return {
    width: Math.max(1, Math.min(maxSide, Math.round(src.width * scale))),
    height: Math.max(1, Math.min(maxSide, Math.round(src.height * scale))),
  };
}

/** The centred square of a rectangle, as a source rectangle for drawImage. */
export function centreSquare(src: Size): { sx: number; sy: number; side: number } {
  checkSize(src);
  const side = Math.min(src.width, src.height);
  return { sx: Math.floor((src.width - side) / 2), sy: Math.floor((src.height - side) / 2), side };
}

/**
 * Why a source image is refused, or null when it is fine to decode.
 *
 * @example
 * refuseReason({ width: 20000, height: 20000 }); // 'The image is 20000×20000 (400 megapixels); …'
 */
export function refuseReason(src: Size): string | null {
  if (!(src.width >= 1 && src.height >= 1))
    return `The image has no pixels (${src.width}×${src.height}).`;
  const px = src.width * src.height;
  if (src.width > MAX_SOURCE_SIDE || src.height > MAX_SOURCE_SIDE || px > MAX_SOURCE_PIXELS) {
    return `The image is ${src.width}×${src.height} (${Math.round(px / 1e6)} megapixels); images up to ${MAX_SOURCE_PIXELS / 1e6} megapixels and ${MAX_SOURCE_SIDE} pixels a side are accepted.`;
  }
  return null;
}

function checkSize(src: Size): void {
  if (
    !(Number.isFinite(src.width) && Number.isFinite(src.height) && src.width > 0 && src.height > 0)
  ) {
    throw new Error(
      `Expected a size with positive width and height, got ${src.width}×${src.height}.`,
    );
  }
}
