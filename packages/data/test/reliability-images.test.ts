// Reliability: images written by pngjs in every colour type, every truncation of a PNG and a JPEG, and size limits.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../src';
import { decodeImage } from '../src/node';

/** A PNG written by pngjs (an encoder independent of ours) with the given colour type and depth. */
function pngjs(
  w: number,
  h: number,
  colorType: 0 | 2 | 4 | 6,
  bitDepth: 8 | 16,
  pixel: (x: number, y: number) => number[],
): Buffer {
  const png = new PNG({
    width: w,
    height: h,
    colorType,
    inputColorType: 6,
    bitDepth,
    inputHasAlpha: true,
  });
  // pngjs takes RGBA input: 8 bits per sample, or 16-bit samples in a Uint16Array for bitDepth 16.
  const data = bitDepth === 16 ? new Uint16Array(w * h * 4) : Buffer.alloc(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data.set(pixel(x, y), (y * w + x) * 4);
  png.data = data as unknown as Buffer;
  return PNG.sync.write(png, { colorType, inputColorType: 6, bitDepth, inputHasAlpha: true });
}
const px = (d: Uint8ClampedArray, i: number) => Array.from(d.subarray(i * 4, i * 4 + 4));

describe('pngjs-written PNGs decode to the right RGBA', () => {
  it.each([
    ['grayscale 8-bit', 0, 8, [90, 90, 90, 255], [90, 90, 90, 255]],
    ['grayscale+alpha 8-bit', 4, 8, [90, 90, 90, 100], [90, 90, 90, 100]],
    ['RGB 8-bit', 2, 8, [10, 200, 30, 255], [10, 200, 30, 255]],
    ['RGBA 8-bit', 6, 8, [10, 200, 30, 40], [10, 200, 30, 40]],
    ['RGBA 16-bit', 6, 16, [0xffff, 0x8080, 0, 0xffff], [255, 128, 0, 255]],
    ['grayscale 16-bit', 0, 16, [0x4040, 0x4040, 0x4040, 0xffff], [64, 64, 64, 255]],
  ] as const)('%s', (_name, colorType, bitDepth, input, expected) => {
    const bytes = pngjs(3, 2, colorType, bitDepth, () => [...input]);
    expect(readImageHeader(bytes)).toMatchObject({
      format: 'png',
      width: 3,
      height: 2,
      colorType,
      bitDepth,
    });
    const img = decodeImage(bytes, 'x.png');
    expect([img.width, img.height, img.data.length]).toEqual([3, 2, 24]);
    for (let i = 0; i < 6; i++) expect(px(img.data, i)).toEqual([...expected]);
  });

  it('1×1 images (PNG and JPEG) decode', () => {
    expect(px(decodeImage(pngjs(1, 1, 6, 8, () => [1, 2, 3, 4])).data, 0)).toEqual([1, 2, 3, 4]);
    const j = jpeg.encode(
      { width: 1, height: 1, data: Buffer.from([250, 250, 250, 255]) },
      90,
    ).data;
    const img = decodeImage(j, '1.jpg');
    expect([img.width, img.height]).toEqual([1, 1]);
  });
  // Palette PNGs (colour type 3, which pngjs cannot write) are covered in images.test.ts.
});

describe('every truncation fails cleanly', () => {
  const png = pngjs(12, 9, 6, 8, (x, y) => [x * 20, y * 25, 100, 255]);
  const jpg = Buffer.from(
    jpeg.encode({ width: 12, height: 9, data: Buffer.alloc(12 * 9 * 4, 120) }, 80).data,
  );
  it.each([
    ['PNG', png],
    ['JPEG', jpg],
  ])('%s: each prefix decodes or throws an Error that names the file', (_kind, full) => {
    let decoded = 0;
    for (let n = 0; n < full.length; n++) {
      try {
        const img = decodeImage(full.subarray(0, n), 'cut.img');
        // A decoder may tolerate a missing tail; it must still return a consistent image.
        expect(img.data.length).toBe(img.width * img.height * 4);
        decoded++;
      } catch (e) {
        expect(e).toBeInstanceOf(Error);
        expect((e as Error).message.startsWith('cut.img: ')).toBe(true);
      }
    }
    expect(decoded).toBeLessThan(full.length);
  });
});

describe('size limits from the header', () => {
  it('a 50-megapixel PNG and JPEG are refused before decoding (header-only files)', () => {
    const ihdr = pngjs(1, 1, 6, 8, () => [0, 0, 0, 0]).subarray(0, 33);
    const big = Buffer.from(ihdr);
    big.writeUInt32BE(10_000, 16);
    big.writeUInt32BE(5_000, 20);
    expect(() => decodeImage(big, 'big.png')).toThrow(
      /big\.png: image is 10000×5000 \(50\.0 MP\), over the limit of 40\.0 MP/,
    );
    // JPEG SOF0 claiming 65535×1000 (65.5 MP) with no scan data.
    const sof = Buffer.from([
      0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x03, 0xe8, 0xff, 0xff, 0x03, 1, 0x22, 0, 2, 0x11,
      1, 3, 0x11, 1,
    ]);
    expect(() => decodeImage(sof, 'big.jpg')).toThrow(
      /big\.jpg: image is 65535×1000 \(65\.5 MP\), over the limit/,
    );
  });

  it('a zero-sized header is refused', () => {
    const z = Buffer.from(pngjs(1, 1, 6, 8, () => [0, 0, 0, 0]));
    z.writeUInt32BE(0, 16);
    expect(() => decodeImage(z, 'zero.png')).toThrow(
      /zero\.png: png header declares an empty image \(0×1\)/,
    );
  });
});
