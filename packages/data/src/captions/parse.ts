// Pure parsers for caption files: captions.tsv, Flickr8k token files and COCO captions JSON.

/** One image and all its reference captions. */
export interface CaptionedImage {
  file: string;
  captions: string[];
}

/** A byte-order mark at the start of a file is not part of its first file name or key. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function group(pairs: Iterable<[string, string]>): CaptionedImage[] {
  const byFile = new Map<string, string[]>();
  for (const [file, caption] of pairs) {
    const list = byFile.get(file);
    if (list) list.push(caption);
    else byFile.set(file, [caption]);
  }
  return [...byFile].map(([file, captions]) => ({ file, captions }));
}

function nonEmptyLines(text: string, name: string): [number, string][] {
  const lines = stripBom(text)
    .split(/\r?\n/)
    .map((l, i) => [i + 1, l] as [number, string])
    .filter(([, l]) => l.trim() !== '');
  if (lines.length === 0)
    throw new Error(`${name}: captions file is empty; expected lines of 'file<TAB>caption'`);
  return lines;
}

/**
 * `file<TAB>caption` per line, several lines per file allowed; first-seen file order is kept.
 *
 * @example
 * parseCaptionsTsv('a.png\ta red circle\na.png\ta circle that is red\n') // [{ file: 'a.png', captions: [2 items] }]
 */
export function parseCaptionsTsv(text: string, name = 'captions.tsv'): CaptionedImage[] {
  return group(
    nonEmptyLines(text, name).map(([n, line]): [string, string] => {
      const tab = line.indexOf('\t');
      const file = line.slice(0, tab).trim();
      const caption = line.slice(tab + 1).trim();
      if (tab < 0 || file === '' || caption === '') {
        throw new Error(
          `${name}:${n}: expected 'file<TAB>caption' (2 columns), got ${JSON.stringify(line.slice(0, 80))}`,
        );
      }
      return [file, caption];
    }),
  );
}

/** Flickr8k `Flickr8k.token.txt`: `img.jpg#0<TAB>caption`. */
export function parseFlickr8kTokens(text: string, name = 'Flickr8k.token.txt'): CaptionedImage[] {
  return group(
    nonEmptyLines(text, name).map(([n, line]): [string, string] => {
      const m = /^([^\t#]+)#\d+\t(.+)$/.exec(line);
      if (!m)
        throw new Error(
          `${name}:${n}: expected 'image.jpg#N<TAB>caption', got ${JSON.stringify(line.slice(0, 80))}`,
        );
      return [(m[1] as string).trim(), (m[2] as string).trim()];
    }),
  );
}

interface CocoJson {
  images?: { id: number; file_name: string }[];
  annotations?: { image_id: number; caption: string }[];
}

/** COCO captions JSON (`images[].id/file_name`, `annotations[].image_id/caption`). */
export function parseCocoCaptions(text: string, name = 'captions.json'): CaptionedImage[] {
  let json: CocoJson;
  try {
    json = JSON.parse(stripBom(text)) as CocoJson;
  } catch (err) {
    throw new Error(
      `${name}: not valid JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!Array.isArray(json.images) || !Array.isArray(json.annotations)) {
    throw new Error(
      `${name}: expected COCO captions with 'images' and 'annotations' arrays; found keys ${Object.keys(json).join(', ') || 'none'}`,
    );
  }
  if (json.annotations.length === 0)
    throw new Error(`${name}: 'annotations' is empty; no captions to load`);
  const files = new Map(json.images.map((im) => [im.id, im.file_name]));
  return group(
    json.annotations.map((a, i): [string, string] => {
      const file = files.get(a.image_id);
      if (file === undefined)
        throw new Error(
          `${name}: annotations[${i}] refers to image_id ${a.image_id}, which is not in 'images'`,
        );
      if (typeof a.caption !== 'string')
        throw new Error(`${name}: annotations[${i}] has no 'caption' string`);
      return [file, a.caption.trim()];
    }),
  );
}
