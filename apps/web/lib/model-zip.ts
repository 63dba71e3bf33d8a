// Model folders as zip files (fflate): what /train exports and what /translate and /caption import.
import { strToU8, unzipSync, zipSync } from 'fflate';

/** A model folder as file name → bytes. */
export type FolderFiles = Record<string, Uint8Array>;

/**
 * Zip a model folder under one top-level directory `name/` (unzipping gives the folder
 * `load()` and `seqlab translate --model DIR` take). Weight shards are stored, text deflated.
 *
 * @example const zip = zipModelFolder('my-en-fr', files); // my-en-fr/model.json, my-en-fr/tokenizer.json, …
 */
export function zipModelFolder(name: string, files: FolderFiles): Uint8Array {
  if (!/^[\w.-]{1,64}$/.test(name))
    throw new Error(
      `model name: expected 1–64 letters, digits, '.', '-' or '_', got ${JSON.stringify(name)}`,
    );
  if (!files['model.json'])
    throw new Error(
      `zipModelFolder: the folder has no model.json (files: ${Object.keys(files).join(', ')})`,
    );
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [f, bytes] of Object.entries(files))
    entries[`${name}/${f}`] = [bytes, { level: f.endsWith('.bin') ? 0 : 6 }];
  return zipSync(entries, { mtime: new Date('2026-01-01T00:00:00Z') });
}

/**
 * The model folder inside a zip: model.json and its siblings, whether at the top or in one
 * folder (macOS `__MACOSX/` entries and dot files ignored). Errors name the zip and say what
 * a model zip holds.
 */
export function unzipModelFolder(zip: Uint8Array, where: string): FolderFiles {
  let all: Record<string, Uint8Array>;
  try {
    all = unzipSync(zip);
  } catch (e) {
    throw new Error(`${where}: not a readable zip file (${(e as Error).message})`);
  }
  const names = Object.keys(all).filter(
    (n) => !n.endsWith('/') && !n.startsWith('__MACOSX/') && !/(^|\/)\./.test(n),
  );
  const models = names.filter((n) => n === 'model.json' || n.endsWith('/model.json'));
  if (models.length !== 1)
    throw new Error(
      `${where}: expected one model.json (a seqlab model folder, zipped), found ${models.length}${
        models.length
          ? `: ${models.join(', ')}`
          : `; the zip holds ${names.slice(0, 8).join(', ') || 'nothing'}`
      }`,
    );
  const prefix = (models[0] as string).slice(0, -'model.json'.length);
  const files: FolderFiles = {};
  for (const n of names)
    if (n.startsWith(prefix)) files[n.slice(prefix.length)] = all[n] as Uint8Array;
  return files;
}

/** Files picked from a folder (`<input webkitdirectory>`): relative paths, the folder name cut off. */
export async function folderFromFileList(
  list: readonly File[],
  where: string,
): Promise<FolderFiles> {
  const named = list.map((f) => ({
    f,
    path: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name,
  }));
  const model = named.filter((n) => n.path === 'model.json' || n.path.endsWith('/model.json'));
  if (model.length !== 1)
    throw new Error(
      `${where}: expected a folder with one model.json (a seqlab model folder), found ${model.length}`,
    );
  const prefix = (model[0] as { path: string }).path.slice(0, -'model.json'.length);
  const files: FolderFiles = {};
  for (const { f, path } of named)
    if (path.startsWith(prefix))
      files[path.slice(prefix.length)] = new Uint8Array(await f.arrayBuffer());
  return files;
}

/** UTF-8 bytes of a string (re-exported so callers need not import fflate). */
export const utf8 = strToU8;
