// Caption training images as model input: RGBA composited over white into RGB floats, and the in-memory item type.

/** One labelled image held in memory (RGBA 64×64). */
export interface CaptionItem {
  rgba: Uint8Array | Uint8ClampedArray;
  captions: string[];
}

/** RGBA pixels composited over white into RGB floats in [0, 1], written at `out[offset…]`. */
export function rgbaToRgb01(
  data: Uint8Array | Uint8ClampedArray,
  out: Float32Array,
  offset: number,
  shift: [number, number] = [0, 0],
  size = 64,
): void {
  const [dx, dy] = shift;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sx = x - dx;
      const sy = y - dy;
      const o = offset + (y * size + x) * 3;
      if (sx < 0 || sy < 0 || sx >= size || sy >= size) {
        out[o] = 1;
        out[o + 1] = 1;
        out[o + 2] = 1;
        continue;
      }
      const i = (sy * size + sx) * 4;
      const a = (data[i + 3] as number) / 255;
      for (let c = 0; c < 3; c++) out[o + c] = ((data[i + c] as number) / 255) * a + (1 - a);
    }
  }
}
