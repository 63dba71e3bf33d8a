// Node image decoding (PNG via pngjs, JPEG via jpeg-js) to RGBA, refusing oversized images before decoding.
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { type RgbaImage, readImageHeader } from './header';

export interface DecodeOptions {
  /** Refuse images whose header declares more pixels than this (default 40 megapixels). */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 40_000_000;

/**
 * Decodes PNG (gray, gray+alpha, RGB, RGBA, palette, 1–16 bit) or JPEG bytes to 8-bit RGBA.
 * `name` labels errors (use the file path).
 *
 * @example
 * const img = decodeImage(await readFile('a.png'), 'a.png'); // { width, height, data }
 */
export function decodeImage(
  bytes: Uint8Array,
  name = '<bytes>',
  options: DecodeOptions = {},
): RgbaImage {
  const header = readImageHeader(bytes, name);
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const pixels = header.width * header.height;
  if (header.width === 0 || header.height === 0) {
    throw new Error(
      `${name}: ${header.format} header declares an empty image (${header.width}×${header.height})`,
    );
  }
  if (pixels > maxPixels) {
    throw new Error(
      `${name}: image is ${header.width}×${header.height} (${(pixels / 1e6).toFixed(1)} MP), over the limit of ${(maxPixels / 1e6).toFixed(1)} MP; downscale it first or raise maxPixels`,
    );
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    if (header.format === 'png') {
      // pngjs expands palette/gray to RGBA and rescales 16-bit samples to 8 bits.
      const png = PNG.sync.read(buf);
      return {
        width: png.width,
        height: png.height,
        data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength),
      };
    }
    const out = jpeg.decode(buf, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: Math.ceil(maxPixels / 1e6),
      maxMemoryUsageInMB: 1024,
    });
    return {
      width: out.width,
      height: out.height,
      data: new Uint8ClampedArray(out.data.buffer, out.data.byteOffset, out.data.byteLength),
    };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(
      `${name}: could not decode ${header.format} (${bytes.length} bytes; truncated or corrupt?): ${why}`,
    );
  }
}

/** Reads and decodes an image file; errors name the file. */
export async function decodeImageFile(
  path: string,
  options: DecodeOptions = {},
): Promise<RgbaImage> {
  return decodeImage(await readFile(path), path, options);
}

/** Encodes RGBA to an 8-bit RGBA PNG. */
export function encodePng(image: RgbaImage): Buffer {
  if (image.data.length !== image.width * image.height * 4) {
    throw new Error(
      `encodePng expected ${image.width}×${image.height}×4 = ${image.width * image.height * 4} bytes, got ${image.data.length}`,
    );
  }
  const png = new PNG({ width: image.width, height: image.height });
  png.data = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return PNG.sync.write(png);
}
