// Node-only: read a TSV parallel corpus (or any text file) from disk, whole or streamed line by line.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type LineOptions, readLines, TextLineError } from './lines';
import { parseTsvLine, type TsvOptions, type TsvPair } from './tsv';

/** Options of the TSV file readers: parseTsv's (without `name`: the path is the name) and line limits. */
export type ReadTsvOptions = Omit<TsvOptions, 'name'> & LineOptions;

/**
 * Stream a text file's lines as strict UTF-8 (see readLines: LF-split, a leading BOM dropped),
 * `{ n, text }` per line; a missing file, a directory, invalid UTF-8 or an over-long line throws
 * an error naming the file (and the line).
 * @example for await (const { n, text } of streamTextFile('captions.tsv')) use(n, text);
 */
export async function* streamTextFile(
  path: string,
  opts: LineOptions & {
    /** What the file is, for a missing one: "cannot read <what>" (default "the file"). */
    what?: string;
    /** Advice appended to that error, e.g. "build the dataset first". */
    hint?: string;
  } = {},
): AsyncGenerator<{ n: number; text: string }> {
  // fs errors for some cases (EISDIR on a directory) do not mention the path; check first.
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error(s.isDirectory() ? 'is a directory' : 'not a regular file');
  } catch (e) {
    throw new Error(
      `${path}: cannot read ${opts.what ?? 'the file'} (${(e as Error).message})${opts.hint ? `; ${opts.hint}` : ''}`,
    );
  }
  for await (const line of readLines(createReadStream(path), opts)) {
    if (line.error !== undefined) throw new TextLineError(path, line.n, line.error);
    yield line;
  }
}

/**
 * Stream a TSV corpus file (UTF-8) pair by pair, under parseTsv's rules, without holding the file in
 * memory; errors name the file and line (bad columns, invalid UTF-8, a line over `maxLineBytes`).
 * @example
 * for await (const { source, target } of streamTsvFile('data-cache/gettext/en-es/train.tsv')) count++;
 */
export async function* streamTsvFile(
  path: string,
  opts: ReadTsvOptions = {},
): AsyncGenerator<TsvPair> {
  const o = { ...opts, name: path };
  // Split on LF only, as parseTsv does (readline would also split on a lone CR inside a field).
  for await (const { n, text } of streamTextFile(path, { ...opts, what: 'the corpus' })) {
    const pair = parseTsvLine(text, n, o);
    if (pair) yield pair;
  }
}

/**
 * Read and parse a TSV corpus file (UTF-8) into an array, streaming it (no whole-file string);
 * errors name the file and line.
 * @example const pairs = await readTsvFile('data-cache/gettext/en-es/train.tsv');
 */
export async function readTsvFile(path: string, opts: ReadTsvOptions = {}): Promise<TsvPair[]> {
  const pairs: TsvPair[] = [];
  for await (const p of streamTsvFile(path, opts)) pairs.push(p);
  return pairs;
}
