// Node image decoding (PNG via pngjs, JPEG via jpeg-js) to RGBA, refusing oversized images before decoding.
import { readFile } from 'node:fs/promises';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { jpegColorModel, type RgbaImage, readImageHeader } from './header';

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
  // Decided from the markers before decoding (refusing what cannot be known): jpeg-js's own
  // choice ignores the Adobe flag and JFIF, and decoded Adobe RGB JPEGs as YCbCr (wrong colours).
  const model = header.jpeg ? jpegColorModel(header.jpeg, name) : null;
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
      // YCbCr → RGB for 'ycbcr'; YCC → inverted CMY for 'ycck' (then CMYK → RGB, as for 'cmyk').
      colorTransform: model === 'ycbcr' || model === 'ycck',
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

/** Why a file could not be read, in words, with its path (Node's EISDIR message names none). */
function readError(path: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'EISDIR'
      ? 'is a directory, not an image file; give the PNG or JPEG files inside it'
      : code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied (the file cannot be read)'
          : err instanceof Error
            ? err.message
            : String(err);
  return new Error(`${path}: ${why}`);
}

/** Reads and decodes an image file; errors name the file (a directory is said to be one). */
export async function decodeImageFile(
  path: string,
  options: DecodeOptions = {},
): Promise<RgbaImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw readError(path, err);
  }
  return decodeImage(bytes, path, options);
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
