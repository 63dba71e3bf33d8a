// Reads image dimensions from PNG IHDR / JPEG SOF headers without decoding, so huge images are refused cheaply.

/** Decoded image: RGBA, row-major, width*height*4 bytes. Compatible with DOM ImageData. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

export interface ImageHeader {
  format: 'png' | 'jpeg';
  width: number;
  height: number;
  /** PNG only: bit depth and colour type (0 gray, 2 RGB, 3 palette, 4 gray+alpha, 6 RGBA). */
  bitDepth?: number;
  colorType?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** JPEG start-of-frame markers (all except DHT C4, JPG C8, DAC CC) carry the frame size. */
const SOF_MARKERS = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

function hexHead(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

function u32be(b: Uint8Array, i: number): number {
  return (
    (((b[i] as number) << 24) |
      ((b[i + 1] as number) << 16) |
      ((b[i + 2] as number) << 8) |
      (b[i + 3] as number)) >>>
    0
  );
}
function u16be(b: Uint8Array, i: number): number {
  return ((b[i] as number) << 8) | (b[i + 1] as number);
}

/**
 * Parses the size from a PNG or JPEG header. `name` only labels error messages.
 *
 * @example
 * readImageHeader(bytes, 'cat.png') // { format: 'png', width: 64, height: 64, bitDepth: 8, colorType: 6 }
 */
export function readImageHeader(bytes: Uint8Array, name = '<bytes>'): ImageHeader {
  if (bytes.length === 0)
    throw new Error(`${name}: empty file (0 bytes); expected a PNG or JPEG image`);
  if (PNG_SIGNATURE.every((v, i) => bytes[i] === v)) {
    if (bytes.length < 33 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
      throw new Error(`${name}: truncated PNG (${bytes.length} bytes; the IHDR header needs 33)`);
    }
    return {
      format: 'png',
      width: u32be(bytes, 16),
      height: u32be(bytes, 20),
      bitDepth: bytes[24] as number,
      colorType: bytes[25] as number,
    };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    let i = 2;
    while (i + 4 <= bytes.length) {
      if (bytes[i] !== 0xff)
        throw new Error(`${name}: corrupt JPEG (expected a marker at byte ${i})`);
      const marker = bytes[i + 1] as number;
      if (marker === 0xff) {
        i++; // fill byte
        continue;
      }
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        i += 2;
        continue;
      }
      const len = u16be(bytes, i + 2);
      if (SOF_MARKERS.has(marker)) {
        if (i + 9 > bytes.length) break;
        return { format: 'jpeg', height: u16be(bytes, i + 5), width: u16be(bytes, i + 7) };
      }
      if (marker === 0xd9 || marker === 0xda) break; // end of image / scan data before any frame header
      i += 2 + len;
    }
    throw new Error(
      `${name}: truncated or corrupt JPEG (no frame header found in ${bytes.length} bytes)`,
    );
  }
  throw new Error(
    `${name}: not a PNG or JPEG image (first bytes: ${hexHead(bytes)}); supported formats: png, jpeg`,
  );
}
