// Browser side of caption data: the files of a zip or picked folder, and each image decoded and
// resized (centre square, any size in) to the pixels the captioner trains on.
import { unzipSync } from 'fflate';
import { type CaptionCheck, checkCaptions, findCaptionsTsv } from './caption-data';
import { squarePixels } from './image-decode';
import { CAPTION_IMAGE_SIZE, type CaptionTrainItem } from './train-protocol';

/** Paths (relative to captions.tsv) → bytes, and captions.tsv's text, of a zip or folder. */
export async function captionSource(
  input: { zip: File } | { folder: File[] },
): Promise<{ where: string; files: Map<string, Blob>; tsv: string }> {
  const raw = new Map<string, Blob>();
  let where: string;
  if ('zip' in input) {
    where = input.zip.name;
    let all: Record<string, Uint8Array>;
    try {
      all = unzipSync(new Uint8Array(await input.zip.arrayBuffer()));
    } catch (e) {
      throw new Error(`${where}: not a readable zip file (${(e as Error).message})`);
    }
    for (const [p, b] of Object.entries(all))
      if (!p.endsWith('/')) raw.set(p, new Blob([b as BlobPart]));
  } else {
    where = 'the chosen folder';
    for (const f of input.folder)
      raw.set((f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name, f);
  }
  const { captions, prefix } = findCaptionsTsv([...raw.keys()], where);
  const files = new Map<string, Blob>();
  for (const [p, b] of raw)
    if (p.startsWith(prefix) && p !== captions) files.set(p.slice(prefix.length), b);
  return { where, files, tsv: await (raw.get(captions) as Blob).text() };
}

/** Checks captions.tsv and decodes every image it names; problems name the file. */
export async function prepareCaptionData(
  input: { zip: File } | { folder: File[] },
): Promise<{ where: string; check: CaptionCheck; items: CaptionTrainItem[] }> {
  const { where, files, tsv } = await captionSource(input);
  const check = checkCaptions(tsv, [...files.keys()], where);
  if (!check.ok) return { where, check, items: [] };
  const items: CaptionTrainItem[] = [];
  const errors: string[] = [];
  for (const { file, captions } of check.entries) {
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(files.get(file) as Blob);
    } catch {
      errors.push(
        `${where}/${file}: could not be decoded as an image (expected PNG, JPEG, GIF, WebP or BMP)`,
      );
      continue;
    }
    try {
      if (bitmap.width < 8 || bitmap.height < 8) {
        errors.push(
          `${where}/${file}: ${bitmap.width}×${bitmap.height} pixels; expected at least 8×8`,
        );
        continue;
      }
      const p = squarePixels(
        bitmap,
        { width: bitmap.width, height: bitmap.height },
        CAPTION_IMAGE_SIZE,
      );
      items.push({ file, rgba: new Uint8Array(p.data.buffer), captions });
    } finally {
      bitmap.close();
    }
  }
  if (errors.length)
    return {
      where,
      check: { ok: false, errors: errors.slice(0, 20), more: Math.max(0, errors.length - 20) },
      items: [],
    };
  return { where, check, items };
}
