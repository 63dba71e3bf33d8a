// Reliability class 5: every JPEG colour model decodes to the right colours (CMYK and YCCK as Adobe writes them) or is refused with a reason; a directory given as an image is named as one.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type JpegColorModel, jpegColorModel, readImageHeader } from '../src';
import { decodeImage, decodeImageFile } from '../src/node';
import { type FlatJpegOptions, flatJpeg, toYcc } from './fixtures/flat-jpeg';

const COLOURS: readonly (readonly number[])[] = [
  [200, 40, 30],
  [0, 0, 0],
  [255, 255, 255],
  [30, 160, 90],
  [20, 60, 220],
  [128, 128, 128],
  [255, 200, 0],
  [90, 20, 120],
];

/** Ink amounts (0 = none) of an RGB colour under naive CMYK separation with full black generation. */
function inks([r, g, b]: readonly number[]): number[] {
  const k = 255 - Math.max(r as number, g as number, b as number);
  const ink = (v: number) => (k === 255 ? 0 : Math.round(((255 - v - k) / (255 - k)) * 255));
  return [ink(r as number), ink(g as number), ink(b as number), k];
}

/** How each colour model stores an RGB colour's samples (Adobe stores CMYK inverted: 255 = no ink). */
const STORE: Record<JpegColorModel, (rgb: readonly number[]) => number[]> = {
  gray: ([r]) => [r as number],
  ycbcr: toYcc,
  rgb: (rgb) => [...rgb],
  cmyk: (rgb) => inks(rgb).map((v) => 255 - v),
  ycck: (rgb) => {
    const [c, m, y, k] = inks(rgb);
    return [...toYcc([c as number, m as number, y as number]), 255 - (k as number)];
  },
};

const ACCEPTED: [string, JpegColorModel, FlatJpegOptions][] = [
  ['JFIF YCbCr', 'ycbcr', { jfif: true }],
  ['YCbCr without markers', 'ycbcr', {}],
  ['Adobe transform 1 (YCbCr)', 'ycbcr', { adobeTransform: 1 }],
  ['JFIF beside an Adobe marker', 'ycbcr', { jfif: true, adobeTransform: 0 }],
  ['Adobe transform 0 with 3 components (RGB)', 'rgb', { adobeTransform: 0 }],
  ["component ids 'R' 'G' 'B', no markers (RGB)", 'rgb', { componentIds: [0x52, 0x47, 0x42] }],
  ['Adobe CMYK (transform 0, inverted inks)', 'cmyk', { adobeTransform: 0 }],
  ['Adobe YCCK (transform 2)', 'ycck', { adobeTransform: 2 }],
  ['grayscale', 'gray', {}],
];

describe('JPEG colour models decode to the right colours', () => {
  it.each(ACCEPTED)('%s', (_name, model, opts) => {
    const colours = model === 'gray' ? COLOURS.map(([r]) => [r, r, r] as number[]) : COLOURS;
    const bytes = flatJpeg([colours.map((c) => STORE[model](c))], opts);
    const header = readImageHeader(bytes, 'x.jpg');
    expect(header.jpeg && jpegColorModel(header.jpeg, 'x.jpg')).toBe(model);
    const img = decodeImage(bytes, 'x.jpg');
    expect([img.width, img.height]).toEqual([8 * colours.length, 8]);
    colours.forEach((rgb, b) => {
      const at = (4 * img.width + 8 * b + 4) * 4; // row 4, the middle of block b
      const got = Array.from(img.data.subarray(at, at + 4));
      // YCbCr rounding and the CMYK separation's rounding: within 3 of each channel.
      rgb.forEach((v, c) => {
        expect(
          Math.abs((got[c] as number) - v),
          `block ${b} ${rgb} got ${got}`,
        ).toBeLessThanOrEqual(3);
      });
      expect(got[3]).toBe(255);
    });
  });
});

const REFUSED: [string, number, FlatJpegOptions, string][] = [
  ['CMYK without an Adobe marker', 4, {}, 'without an Adobe APP14 marker'],
  ['CMYK beside JFIF, no Adobe marker', 4, { jfif: true }, 'without an Adobe APP14 marker'],
  ['4 components, Adobe transform 1', 4, { adobeTransform: 1 }, 'colour transform 1'],
  ['4 components, Adobe transform 7', 4, { adobeTransform: 7 }, 'colour transform 7'],
  ['3 components, Adobe transform 2', 3, { adobeTransform: 2 }, 'colour transform 2'],
  ['2 components', 2, {}, '2 colour components'],
];

describe('JPEGs whose colours cannot be known are refused, never guessed', () => {
  it.each(REFUSED)('%s', (_name, n, opts, reason) => {
    const bytes = flatJpeg(
      [[new Array<number>(n).fill(100), new Array<number>(n).fill(200)]],
      opts,
    );
    expect(() => decodeImage(bytes, 'scan.jpg')).toThrow(
      new RegExp(`^scan\\.jpg: .*${reason}.*refused rather than guessed — convert it`),
    );
  });
});

describe('files that are not images', () => {
  it('a directory is named as one, with its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-img-dir-'));
    try {
      await expect(decodeImageFile(dir)).rejects.toThrow(
        `${dir}: is a directory, not an image file`,
      );
      await expect(decodeImageFile(join(dir, 'none.png'))).rejects.toThrow(
        `${join(dir, 'none.png')}: no such file`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
