// Real PNG files generated for the upload tests (no binary fixtures in the repository).
import { deflateSync } from 'node:zlib';

/** CRC-32 for PNG chunks. */
export function crc32(buf: Uint8Array) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

type Rgb = [number, number, number];

/** A real RGB PNG: w×h, filled by fn(x, y) → [r, g, b]; `claim` overrides the header size (for the huge-image test). */
export function makePng(
  w: number,
  h: number,
  fn: (x: number, y: number) => Rgb,
  claim?: { width: number; height: number },
) {
  const rows: Buffer[] = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set(fn(x, y), 1 + x * 3);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim?.width ?? w, 0);
  ihdr.writeUInt32BE(claim?.height ?? h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** 300×200: red grows left to right, green top to bottom. */
export const gradientPng = () => makePng(300, 200, (x, y) => [x % 256, y % 256, 128]);
