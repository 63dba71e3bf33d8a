// Browser image intake: untrusted files and live sources → a small square RGBA buffer, never the full image.
import { readImageHeader } from '@seqlab/data';
import { centreSquare, DECODE_MAX_SIDE, fitWithin, refuseReason, type Size } from './image-size';
import type { Pixels } from './protocol';

/** Side of the square preview every input is reduced to before it reaches the model or the overlay. */
export const PREVIEW_SIDE = 256;

/** Raised with a message meant for the page's error box. */
export class ImageInputError extends Error {}

function loadImageElement(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('not decodable'));
    img.src = url;
  });
}

/** Size from the PNG/JPEG header without decoding; null for other formats (GIF, WebP, SVG…). */
async function headerSize(file: Blob): Promise<Size | null> {
  try {
    const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
    const h = readImageHeader(head);
    return { width: h.width, height: h.height };
  } catch {
    return null;
  }
}

/**
 * Decodes a user's file into a bitmap no larger than DECODE_MAX_SIDE per side. Huge images
 * are refused from their header (before any decoding) or downscaled while decoding, so a
 * 50-megapixel photo never sits in memory at full size.
 *
 * @example
 * const { bitmap } = await decodeImageFile(input.files[0]);
 */
export async function decodeImageFile(
  file: File,
): Promise<{ bitmap: ImageBitmap; original: Size }> {
  const name = file.name ? `“${file.name}”` : 'That file';
  if (file.size === 0)
    throw new ImageInputError(`${name} is empty (0 bytes). Choose a PNG, JPEG, GIF or WebP image.`);
  if (file.type && !file.type.startsWith('image/')) {
    throw new ImageInputError(
      `${name} is not an image (it is ${file.type}). Choose a PNG, JPEG, GIF or WebP image.`,
    );
  }
  let original = await headerSize(file);
  const url = URL.createObjectURL(file);
  try {
    let source: ImageBitmapSource = file;
    if (!original) {
      // Other formats: an <img> learns the size from the header; pixels are decoded only when drawn.
      const img = await loadImageElement(url).catch(() => {
        throw new ImageInputError(
          `${name} could not be read as an image: it may be damaged, or not an image at all.`,
        );
      });
      original = { width: img.naturalWidth || 256, height: img.naturalHeight || 256 };
      source = img;
    }
    const refused = refuseReason(original);
    if (refused) throw new ImageInputError(`${name}: ${refused}`);
    const fit = fitWithin(original, DECODE_MAX_SIDE);
    try {
      const bitmap = await createImageBitmap(source, {
        resizeWidth: fit.width,
        resizeHeight: fit.height,
        resizeQuality: 'high',
      });
      return { bitmap, original };
    } catch {
      throw new ImageInputError(
        `${name} could not be decoded: it may be damaged, or in a format this browser cannot read.`,
      );
    }
  } finally {
    URL.revokeObjectURL(url);
  }
}

function canvas2d(side: number): CanvasRenderingContext2D {
  const c = document.createElement('canvas');
  c.width = side;
  c.height = side;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  if (!ctx)
    throw new ImageInputError(
      'This browser cannot draw to a canvas, so images cannot be prepared.',
    );
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  return ctx;
}

/**
 * The centred square of `source`, resampled to side×side RGBA. Transparent areas are put on
 * white, as emoji and drawings are shown.
 */
export function squarePixels(
  source: CanvasImageSource,
  size: Size,
  side = PREVIEW_SIDE,
  smooth = true,
): Pixels {
  const ctx = canvas2d(side);
  ctx.imageSmoothingEnabled = smooth;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, side, side);
  const { sx, sy, side: s } = centreSquare(size);
  ctx.drawImage(source, sx, sy, s, s, 0, 0, side, side);
  const d = ctx.getImageData(0, 0, side, side);
  return { width: side, height: side, data: d.data };
}

/** Resamples square pixels to the model's input size (the browser filters better than a bilinear resize). */
export function resizePixels(p: Pixels, side: number): Pixels {
  if (p.width === side && p.height === side)
    return { width: side, height: side, data: p.data.slice() };
  const src = canvas2d(p.width);
  src.canvas.width = p.width;
  src.canvas.height = p.height;
  src.putImageData(new ImageData(p.data.slice(), p.width, p.height), 0, 0);
  return squarePixels(src.canvas, { width: p.width, height: p.height }, side);
}
