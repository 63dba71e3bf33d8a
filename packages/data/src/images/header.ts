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
  /** JPEG only: what its frame and markers say about its colours (see {@link jpegColorModel}). */
  jpeg?: JpegColorInfo;
}

/** The colour facts of a JPEG header: component count and ids, JFIF, and the Adobe APP14 transform flag. */
export interface JpegColorInfo {
  components: number;
  componentIds: number[];
  jfif: boolean;
  /** Adobe APP14 transform flag (0: none, i.e. RGB or CMYK; 1: YCbCr; 2: YCCK), or null without the marker. */
  adobeTransform: number | null;
}

/** How a JPEG's samples map to colours: the models seqlab decodes. */
export type JpegColorModel = 'gray' | 'ycbcr' | 'rgb' | 'cmyk' | 'ycck';

/**
 * The colour model of a JPEG, decided as libjpeg does from the markers, or an error saying why
 * its colours cannot be known. Four components are CMYK only with an Adobe APP14 marker: Adobe
 * writes the inks inverted (0 = full ink) and says so with the marker; without it the inversion
 * is unknown and any guess is as likely wrong as right, so such a file is refused, as are
 * component counts and transform flags no standard defines.
 *
 * @example jpegColorModel({ components: 4, componentIds: [1, 2, 3, 4], jfif: false, adobeTransform: 2 }, 'a.jpg') // 'ycck'
 */
export function jpegColorModel(info: JpegColorInfo, name = '<bytes>'): JpegColorModel {
  const { components: n, adobeTransform: t } = info;
  const refuse = (why: string) =>
    new Error(
      `${name}: ${why}; its colours cannot be decoded reliably, so it is refused rather than guessed — convert it to an RGB or grayscale JPEG or PNG first`,
    );
  if (n === 1) return 'gray';
  if (n === 3) {
    if (info.jfif) return 'ycbcr'; // JFIF means YCbCr, whatever else the file claims
    if (t !== null) {
      if (t === 0) return 'rgb';
      if (t === 1) return 'ycbcr';
      throw refuse(
        `3-component JPEG whose Adobe APP14 marker has colour transform ${t} (valid for 3 components: 0 = RGB, 1 = YCbCr)`,
      );
    }
    // No marker: component ids 'R', 'G', 'B' mark RGB (as libjpeg reads them); anything else is YCbCr.
    const [a, b, c] = info.componentIds;
    return a === 0x52 && b === 0x47 && c === 0x42 ? 'rgb' : 'ycbcr';
  }
  if (n === 4) {
    if (t === 0) return 'cmyk';
    if (t === 2) return 'ycck';
    if (t === null)
      throw refuse(
        '4-component (CMYK) JPEG without an Adobe APP14 marker, so whether its inks are stored inverted is not recorded',
      );
    throw refuse(
      `4-component JPEG whose Adobe APP14 marker has colour transform ${t} (valid for 4 components: 0 = CMYK, 2 = YCCK)`,
    );
  }
  throw refuse(`JPEG with ${n} colour components (supported: 1 gray, 3 RGB/YCbCr, 4 CMYK/YCCK)`);
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
function ascii(b: Uint8Array, i: number, n: number): string {
  return String.fromCharCode(...b.subarray(i, i + n));
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
    let jfif = false;
    let adobeTransform: number | null = null;
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
      if (marker === 0xe0 && i + 9 <= bytes.length && ascii(bytes, i + 4, 5) === 'JFIF\0')
        jfif = true;
      // APP14 'Adobe': version (2 bytes), flags0 (2), flags1 (2), then the transform flag.
      if (marker === 0xee && i + 16 <= bytes.length && ascii(bytes, i + 4, 5) === 'Adobe')
        adobeTransform = bytes[i + 15] as number;
      if (SOF_MARKERS.has(marker)) {
        if (i + 10 > bytes.length) break;
        const components = bytes[i + 9] as number;
        const componentIds: number[] = [];
        for (let c = 0; c < components && i + 10 + 3 * c < bytes.length; c++)
          componentIds.push(bytes[i + 10 + 3 * c] as number);
        return {
          format: 'jpeg',
          height: u16be(bytes, i + 5),
          width: u16be(bytes, i + 7),
          jpeg: { components, componentIds, jfif, adobeTransform },
        };
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
