// Reads a JSON training config with a clear error for a missing or malformed file.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Repository root (two levels above packages/cli). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..', '..');

export function readConfig<T>(file: string): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`config ${file}: cannot read (${(e as Error).message})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`config ${file}: malformed JSON (${(e as Error).message})`);
  }
}

/** Resolve a path from a config relative to the repository root (configs use repo-relative paths). */
export function fromRepo(p: string): string {
  return path.isAbsolute(p) ? p : path.join(REPO_ROOT, p);
}
