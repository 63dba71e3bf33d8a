// Reliability: a matrix of hostile text and image inputs through the translator and captioner — handled or refused clearly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { decodeImage, decodeImageFile, encodePng } from '@seqlab/data/node';
import { findPlaceholders } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaptionerPipeline } from '../src/captioner';
import { loadCaptioner } from '../src/captioner';
import { memorySource } from '../src/source';
import { loadTranslator, MAX_INPUT_CHARS, type TranslatorPipeline } from '../src/translator';
import { tinyCaptionerFiles, tinyTranslatorFiles } from './helpers';

let t: TranslatorPipeline;
let c: CaptionerPipeline;
let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  t = await loadTranslator(memorySource(await tinyTranslatorFiles()));
  c = await loadCaptioner(memorySource(await tinyCaptionerFiles()));
  dir = await mkdtemp(join(tmpdir(), 'models-rel-'));
});
afterAll(async () => {
  t.dispose();
  c.dispose();
  await rm(dir, { recursive: true, force: true });
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('translator: hostile text', () => {
  const rows: [string, string, string | null][] = [
    ['empty', '', ''],
    ['whitespace only', ' \t\n\r\n  ', ''],
    [
      '10,000 characters',
      'Open the file and close all windows. '.repeat(300).slice(0, 10_000),
      null,
    ],
    ['control characters', 'Open\u0000the\u0007file\u001b[31m\u007f\u0085', null],
    ['right-to-left with marks', '\u202eافتح الملف\u202c \u200fשמור\u200f', null],
    ['emoji, ZWJ sequences and skin tones', 'Open 📂 👩‍👩‍👧‍👦 👍🏽 🏳️‍🌈', null],
    ['lone high surrogate', 'Save \ud800 as', null],
    ['lone low surrogate at the end', 'Save as \udc00', null],
    ['reversed surrogate pair', 'x\udc00\ud800y', null],
    ['bare percent', 'Progress: 50% done %', null],
    ['unclosed brace', 'Hello {unclosed and {', null],
    ['dangling positional', 'Copy %1$ to %2$', null],
    ['literal placeholder token', 'Keep ⟨ph7⟩ and %s', null],
    ['a thousand placeholders', '%s '.repeat(1000), null],
  ];
  it.each(rows)('%s', async (_name, input, expected) => {
    const before = tf.memory().numTensors;
    const r = await t.translate(input, { maxLength: 6 });
    expect(typeof r.text).toBe('string');
    if (expected !== null) expect(r.text).toBe(expected);
    expect(LONE_SURROGATE.test(r.text)).toBe(false);
    // Every real placeholder of the source survives, and malformed ones are not invented.
    expect(findPlaceholders(r.text).sort()).toEqual(
      findPlaceholders(input.replace(LONE_SURROGATE, '\uFFFD')).sort(),
    );
    for (const row of r.attention) expect(row.every(Number.isFinite)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses input over the limit with the limit in the message, and non-strings with their type', async () => {
    await expect(t.translate('a'.repeat(MAX_INPUT_CHARS + 1))).rejects.toThrow(
      new RegExp(`input has ${MAX_INPUT_CHARS + 1} characters; at most ${MAX_INPUT_CHARS}`),
    );
    await expect(t.translate(42 as unknown as string)).rejects.toThrow(
      /expected a string, got number/,
    );
    await expect(t.translateBatch([null as unknown as string])).rejects.toThrow(
      /expected strings, got object/,
    );
    await expect(t.translate('Quit', { maxLength: 0 })).rejects.toThrow(
      /maxLength must be an integer in 1\.\.1000, got 0/,
    );
    await expect(t.translate('Quit', { beam: 1.5 })).rejects.toThrow(
      /beam must be an integer in 1\.\.16, got 1\.5/,
    );
  });
});

// Minimal PNG writer (filter 0) so the matrix covers colour types the app never writes itself.
const CRC = Array.from({ length: 256 }, (_, n) => {
  let x = n;
  for (let k = 0; k < 8; k++) x = x & 1 ? 0xedb88320 ^ (x >>> 1) : x >>> 1;
  return x >>> 0;
});
function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  let crc = 0xffffffff;
  for (const b of body) crc = (CRC[(crc ^ b) & 0xff] as number) ^ (crc >>> 8);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0, 8 + data.length);
  return out;
}
function png(
  w: number,
  h: number,
  colorType: number,
  bitDepth: number,
  bytesPerPixel: number,
  plte?: number[],
): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = bitDepth;
  ihdr[9] = colorType;
  const row = Buffer.alloc(1 + w * bytesPerPixel, 0x7f);
  row[0] = 0;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(plte ? [chunk('PLTE', Buffer.from(plte))] : []),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
/** A PNG header (signature + IHDR only) that claims w×h pixels: nothing to decode, nothing allocated. */
function pngHeaderOnly(w: number, h: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
  ]);
}

describe('captioner: image files of every kind', () => {
  const good = encodePng({ width: 4, height: 4, data: new Uint8ClampedArray(64).fill(200) });
  const rows: [string, () => Buffer, RegExp | null][] = [
    ['zero bytes', () => Buffer.alloc(0), /zero\.png: empty file \(0 bytes\)/],
    ['truncated PNG (header cut)', () => good.subarray(0, 20), /truncated PNG/],
    [
      'truncated PNG (data cut)',
      () => png(32, 32, 6, 8, 4).subarray(0, 70),
      /could not decode png .*truncated or corrupt/,
    ],
    [
      'truncated JPEG',
      () => Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a]),
      /truncated or corrupt JPEG/,
    ],
    [
      'text file named .png',
      () => Buffer.from('just some words\n'),
      /not a PNG or JPEG image \(first bytes: 6a 75 73 74/,
    ],
    [
      '50 megapixels (header only)',
      () => pngHeaderOnly(10_000, 5_000),
      /10000×5000 \(50\.0 MP\), over the limit of 40\.0 MP/,
    ],
    ['1×1 RGBA', () => png(1, 1, 6, 8, 4), null],
    ['8-bit grayscale', () => png(8, 8, 0, 8, 1), null],
    ['grayscale + alpha', () => png(8, 8, 4, 8, 2), null],
    ['RGBA', () => png(20, 10, 6, 8, 4), null],
    [
      'palette',
      () =>
        png(
          8,
          8,
          3,
          8,
          1,
          Array.from({ length: 128 * 3 }, (_, i) => i % 256),
        ),
      null,
    ],
    ['16-bit RGB', () => png(8, 8, 2, 16, 6), null],
    ['16-bit grayscale', () => png(8, 8, 0, 16, 2), null],
  ];
  it.each(rows)('%s', async (name, bytes, error) => {
    const file = join(
      dir,
      `${error ? 'zero' : 'img'}-${name.replace(/\W+/g, '-')}.png`.replace(
        /^zero-zero-bytes/,
        'zero',
      ),
    );
    await writeFile(file, bytes());
    const before = tf.memory().numTensors;
    if (error) {
      const e = await decodeImageFile(file).then(
        () => null,
        (x: Error) => x,
      );
      expect(e?.message).toMatch(error);
      expect(e?.message.startsWith(file)).toBe(true); // the message names the file first
    } else {
      const img = await decodeImageFile(file);
      expect(img.data.length).toBe(img.width * img.height * 4);
      if (img.width < 8 || img.height < 8) {
        // Decodes, but is outside what a caption model can read (class 6): refused, not captioned.
        await expect(c.caption(img)).rejects.toThrow(/outside what the model can read/);
        expect(tf.memory().numTensors).toBe(before);
        return;
      }
      const r = await c.caption(img, { beam: 2, maxLength: 5 });
      expect(typeof r.text).toBe('string');
      expect(r.attention.every((row) => row.every(Number.isFinite))).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('pixel buffers that lie about their size are refused, not read out of bounds', async () => {
    await expect(
      c.caption({ width: 10, height: 10, data: new Uint8ClampedArray(12) }),
    ).rejects.toThrow(/10.*10|400|length|size/i);
    await expect(
      c.caption({ width: 0, height: 0, data: new Uint8ClampedArray(0) }),
    ).rejects.toThrow();
    await expect(
      c.caption({ width: -1, height: 4, data: new Uint8ClampedArray(16) }),
    ).rejects.toThrow();
  });

  it('the 50 MP refusal happens from the header, before any pixel memory is allocated', () => {
    const heap = process.memoryUsage().arrayBuffers;
    expect(() => decodeImage(pngHeaderOnly(10_000, 5_000), 'big.png')).toThrow(/over the limit/);
    expect(process.memoryUsage().arrayBuffers - heap).toBeLessThan(10 << 20);
  });
});
