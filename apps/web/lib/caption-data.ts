// Validation of a captioning data set brought to /train: a folder or zip of images with a
// captions.tsv (`image<TAB>caption`, several lines per image allowed); problems name the file and line.

/** Limits of in-page caption data. */
export const CAPTION_LIMITS = {
  /** Fewer images cannot be split into training and validation. */
  minImages: 10,
  maxImages: 5_000,
  maxErrors: 20,
} as const;

const IMAGE_EXT = /\.(png|jpe?g|gif|webp|bmp)$/i;

/** Files of the data set by path relative to captions.tsv's folder. */
export type CaptionFiles = Map<string, Blob>;

export type CaptionCheck =
  | { ok: true; entries: { file: string; captions: string[] }[]; unused: string[] }
  | { ok: false; errors: string[]; more: number };

/**
 * The data set inside a zip or a picked folder: the folder of its one captions.tsv, every
 * path made relative to it (macOS `__MACOSX/` and dot files ignored).
 */
export function findCaptionsTsv(
  paths: readonly string[],
  where: string,
): { captions: string; prefix: string } {
  const usable = paths.filter((p) => !p.startsWith('__MACOSX/') && !/(^|\/)\./.test(p));
  const found = usable.filter((p) => p === 'captions.tsv' || p.endsWith('/captions.tsv'));
  if (found.length !== 1)
    throw new Error(
      `${where}: expected one captions.tsv beside the images (lines of 'image<TAB>caption'), found ${found.length}${
        found.length
          ? `: ${found.join(', ')}`
          : `; it holds ${usable.slice(0, 6).join(', ') || 'nothing'}`
      }`,
    );
  const captions = found[0] as string;
  return { captions, prefix: captions.slice(0, -'captions.tsv'.length) };
}

/**
 * Check captions.tsv against the images present: each line is `image<TAB>caption` with both
 * parts non-empty, each named image exists and is an image file, and there are enough images.
 * Image decoding is checked later, in the page (it needs the browser).
 *
 * @example checkCaptions('a.png\ta red circle\n', ['a.png'], 'pets.zip') // { ok: false, errors: ['pets.zip: expected at least 10 …'] }
 */
export function checkCaptions(tsv: string, images: readonly string[], where: string): CaptionCheck {
  const errors: string[] = [];
  let more = 0;
  const problem = (m: string) => {
    if (errors.length < CAPTION_LIMITS.maxErrors) errors.push(m);
    else more += 1;
  };
  const present = new Set(images);
  const byFile = new Map<string, string[]>();
  const lines = tsv.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const at = `${where}/captions.tsv:${i + 1}`;
    const tab = line.indexOf('\t');
    const file = tab < 0 ? '' : line.slice(0, tab).trim();
    const caption = tab < 0 ? '' : line.slice(tab + 1).trim();
    if (tab < 0 || !file || !caption) {
      problem(
        `${at}: expected 'image<TAB>caption' (2 columns, both non-empty), got ${JSON.stringify(line.slice(0, 80))}`,
      );
      continue;
    }
    if (!IMAGE_EXT.test(file)) {
      problem(`${at}: '${file}' is not an image file name (.png, .jpg, .jpeg, .gif, .webp, .bmp)`);
      continue;
    }
    if (!present.has(file)) {
      const near = images.filter((p) => p.toLowerCase() === file.toLowerCase());
      problem(
        `${at}: image '${file}' is not in ${where}${near.length ? ` (did you mean '${near[0]}'? names are case-sensitive)` : ''}`,
      );
      continue;
    }
    const list = byFile.get(file);
    if (list) list.push(caption);
    else byFile.set(file, [caption]);
  }
  if (errors.length === 0 && byFile.size < CAPTION_LIMITS.minImages)
    problem(
      `${where}: expected at least ${CAPTION_LIMITS.minImages} captioned images (some are held out to validate), got ${byFile.size}`,
    );
  if (byFile.size > CAPTION_LIMITS.maxImages)
    problem(
      `${where}: ${byFile.size} images; at most ${CAPTION_LIMITS.maxImages} are trained in a page (use \`pnpm seqlab train caption\`)`,
    );
  if (errors.length) return { ok: false, errors, more };
  return {
    ok: true,
    entries: [...byFile].map(([file, captions]) => ({ file, captions })),
    unused: images.filter((p) => IMAGE_EXT.test(p) && !byFile.has(p)),
  };
}
