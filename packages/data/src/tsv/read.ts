// Node-only: read a TSV parallel corpus from disk, whole or streamed line by line.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseTsvLine, type TsvOptions, type TsvPair } from './tsv';

/**
 * Stream a TSV corpus file (UTF-8) pair by pair, under parseTsv's rules, without holding the file in
 * memory; errors name the file and line.
 * @example
 * for await (const { source, target } of streamTsvFile('data-cache/gettext/en-es/train.tsv')) count++;
 */
export async function* streamTsvFile(
  path: string,
  opts: Omit<TsvOptions, 'name'> = {},
): AsyncGenerator<TsvPair> {
  // fs errors for some cases (EISDIR on a directory) do not mention the path; check first.
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error(s.isDirectory() ? 'is a directory' : 'not a regular file');
  } catch (e) {
    throw new Error(`${path}: cannot read the corpus (${(e as Error).message})`);
  }
  const o = { ...opts, name: path };
  // Split on LF only, as parseTsv does (readline would also split on a lone CR inside a field).
  let rest = '';
  let n = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8' })) {
    const lines = (rest + (chunk as string)).split('\n');
    rest = lines.pop() as string;
    for (const raw of lines) {
      n++;
      const pair = parseTsvLine(n === 1 ? raw.replace(/^\uFEFF/, '') : raw, n, o);
      if (pair) yield pair;
    }
  }
  n++;
  const last = parseTsvLine(n === 1 ? rest.replace(/^\uFEFF/, '') : rest, n, o);
  if (last) yield last;
}

/**
 * Read and parse a TSV corpus file (UTF-8) into an array, streaming it (no whole-file string);
 * errors name the file and line.
 * @example const pairs = await readTsvFile('data-cache/gettext/en-es/train.tsv');
 */
export async function readTsvFile(
  path: string,
  opts: Omit<TsvOptions, 'name'> = {},
): Promise<TsvPair[]> {
  const pairs: TsvPair[] = [];
  for await (const p of streamTsvFile(path, opts)) pairs.push(p);
  return pairs;
}
