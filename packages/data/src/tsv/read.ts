// Node-only: read a TSV parallel corpus from disk.
import { readFile } from 'node:fs/promises';
import { parseTsv, type TsvOptions, type TsvPair } from './tsv';

/**
 * Read and parse a TSV corpus file (UTF-8); errors name the file and line.
 * @example const pairs = await readTsvFile('data-cache/gettext/en-es/train.tsv');
 */
export async function readTsvFile(
  path: string,
  opts: Omit<TsvOptions, 'name'> = {},
): Promise<TsvPair[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    // fs errors for some cases (EISDIR on a directory) do not mention the path.
    throw new Error(`${path}: cannot read the corpus (${(e as Error).message})`);
  }
  return parseTsv(text, { ...opts, name: path });
}
