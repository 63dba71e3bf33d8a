// Reads a JSON training config: strict UTF-8 (BOM dropped), JSON, then the schema — one clear error.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeText } from '@seqlab/data';
import type * as v from 'valibot';
import { type ConfigSchema, validateConfig } from './config-schema';

/** Repository root (two levels above packages/cli). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

/**
 * Read `file` and validate it against `schema` (TRANSLATE_CONFIG, CAPTION_CONFIG): returns the
 * config with the schema's defaults filled in; every problem — an unreadable or empty file,
 * malformed JSON, a missing, mistyped, out-of-range or unknown field — is an error naming the file.
 *
 * @example const cfg = readConfig('configs/translate-en-es.json', TRANSLATE_CONFIG);
 */
export function readConfig<S extends ConfigSchema>(file: string, schema: S): v.InferOutput<S> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new Error(`config ${file}: cannot read (${(e as Error).message})`);
  }
  // JSON may be one long line: only invalid UTF-8 is refused here.
  const text = decodeText(bytes, `config ${file}`, { maxLineBytes: Number.POSITIVE_INFINITY });
  let json: unknown;
  if (text.trim() === '') {
    // An empty file: the schema lists every required field that is missing.
    json = {};
    try {
      return validateConfig(schema, json, file);
    } catch (e) {
      throw new Error(
        (e as Error).message.replace(/^config (.*?): /, 'config $1: the file is empty; '),
      );
    }
  }
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`config ${file}: malformed JSON (${(e as Error).message})`);
  }
  return validateConfig(schema, json, file);
}

/** Resolve a path from a config relative to the repository root (configs use repo-relative paths). */
export function fromRepo(p: string): string {
  return path.isAbsolute(p) ? p : path.join(REPO_ROOT, p);
}
