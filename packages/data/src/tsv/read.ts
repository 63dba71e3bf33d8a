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
  return parseTsv(await readFile(path, 'utf8'), { ...opts, name: path });
}
