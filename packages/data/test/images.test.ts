// Image decoding: PNG colour types and bit depths, JPEG, size limits checked before decoding, and clear errors.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../src';
import { decodeImage, decodeImageFile, encodePng } from '../src/node';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Buffer): number {
  let c = 0xffffffff;
  for (const x of b) c = (CRC_TABLE[(c ^ x) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** Independent minimal PNG writer (filter 0 rows) so the decoder is not checked against itself. */
function makePng(
  w: number,
  h: number,
  colorType: number,
  bitDepth: number,
  rows: number[][],
  plte?: number[],
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const raw = Buffer.concat(rows.map((r) => Buffer.from([0, ...r])));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(plte ? [chunk('PLTE', Buffer.from(plte))] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const px = (d: Uint8ClampedArray, i: number) => Array.from(d.subarray(i * 4, i * 4 + 4));

describe('PNG decoding', () => {
  it('8-bit grayscale expands to opaque RGBA', () => {
    const img = decodeImage(makePng(2, 1, 0, 8, [[0, 200]]), 'gray.png');
    expect([img.width, img.height]).toEqual([2, 1]);
    expect(px(img.data, 1)).toEqual([200, 200, 200, 255]);
  });
  it('16-bit RGB is rescaled to 8 bits', () => {
    const img = decodeImage(
      makePng(1, 1, 2, 16, [[0xff, 0xff, 0x80, 0x00, 0x00, 0x00]]),
      'rgb16.png',
    );
    expect(px(img.data, 0)).toEqual([255, 128, 0, 255]);
  });
  it('RGBA keeps alpha; gray+alpha expands', () => {
    expect(px(decodeImage(makePng(1, 1, 6, 8, [[10, 20, 30, 40]])).data, 0)).toEqual([
      10, 20, 30, 40,
    ]);
    expect(px(decodeImage(makePng(1, 1, 4, 8, [[90, 7]])).data, 0)).toEqual([90, 90, 90, 7]);
  });
  it('palette PNGs map indices through PLTE', () => {
    const img = decodeImage(makePng(2, 1, 3, 8, [[1, 0]], [255, 0, 0, 0, 0, 255]), 'pal.png');
    expect(px(img.data, 0)).toEqual([0, 0, 255, 255]);
    expect(px(img.data, 1)).toEqual([255, 0, 0, 255]);
  });
  it('round-trips through encodePng', () => {
    const data = new Uint8ClampedArray([1, 2, 3, 255, 4, 5, 6, 128]);
    expect(Array.from(decodeImage(encodePng({ width: 2, height: 1, data })).data)).toEqual(
      Array.from(data),
    );
  });
});

describe('JPEG decoding', () => {
  it('decodes to RGBA of the right size', () => {
    const w = 8;
    const h = 4;
    const data = Buffer.alloc(w * h * 4, 0);
    for (let i = 0; i < w * h; i++) data.set([200, 40, 40, 255], i * 4);
    const bytes = jpeg.encode({ width: w, height: h, data }, 95).data;
    expect(readImageHeader(bytes)).toMatchObject({ format: 'jpeg', width: 8, height: 4 });
    const img = decodeImage(bytes, 'red.jpg');
    expect([img.width, img.height, img.data.length]).toEqual([8, 4, 128]);
    expect(Math.abs((img.data[0] as number) - 200)).toBeLessThan(8);
  });
});

describe('limits and errors', () => {
  it('refuses images over the pixel limit from the header alone', () => {
    // Header claims 10000×10000 but carries no pixel data: refused before any decoding.
    const huge = makePng(1, 1, 0, 8, [[0]]);
    huge.writeUInt32BE(10_000, 16);
    huge.writeUInt32BE(10_000, 20);
    expect(() => decodeImage(huge, 'huge.png')).toThrow(
      /huge\.png: image is 10000×10000 \(100\.0 MP\), over the limit of 40\.0 MP/,
    );
    expect(() =>
      decodeImage(
        makePng(4, 4, 0, 8, [
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ]),
        'x.png',
        { maxPixels: 10 },
      ),
    ).toThrow(/over the limit/);
  });
  it('names the file for empty, truncated and non-image files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'seqlab-img-'));
    const files = {
      'empty.png': Buffer.alloc(0),
      'text.png': Buffer.from('hello, not an image\n'),
      'cut.png': makePng(4, 1, 0, 8, [[1, 2, 3, 4]]).subarray(0, 20),
      'cut-data.png': makePng(
        64,
        64,
        0,
        8,
        Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => (i * j) & 255)),
      ).subarray(0, 60),
      'cut.jpg': Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    };
    for (const [f, b] of Object.entries(files)) await writeFile(join(dir, f), b);
    await expect(decodeImageFile(join(dir, 'empty.png'))).rejects.toThrow(
      /empty\.png: empty file \(0 bytes\)/,
    );
    await expect(decodeImageFile(join(dir, 'text.png'))).rejects.toThrow(
      /text\.png: not a PNG or JPEG image/,
    );
    await expect(decodeImageFile(join(dir, 'cut.png'))).rejects.toThrow(/cut\.png: truncated PNG/);
    await expect(decodeImageFile(join(dir, 'cut-data.png'))).rejects.toThrow(
      /cut-data\.png: could not decode png/,
    );
    await expect(decodeImageFile(join(dir, 'cut.jpg'))).rejects.toThrow(
      /cut\.jpg: truncated or corrupt JPEG/,
    );
  });
});
