// @seqlab/models/node: load task models from local directories (fs), for the CLI and Node users.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkModelName, isModelName, loadFromSource } from './load';
import type { ModelSource } from './source';
import type { Captioner, LoadOptions, Translator } from './types';

/** A ModelSource over a directory. */
export function dirSource(dir: string): ModelSource {
  return {
    location: dir,
    async read(name, onBytes) {
      const file = path.join(dir, name);
      if (path.relative(dir, file).startsWith('..'))
        throw new Error(`${dir}: refusing to read '${name}' outside the model directory`);
      try {
        const buf = new Uint8Array(await fs.readFile(file));
        onBytes?.(buf.length);
        return buf;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(
          code === 'ENOENT'
            ? `${file}: missing file`
            : `${file}: cannot read (${(e as Error).message})`,
        );
      }
    },
  };
}

/** The repository's models/ folder (where the pretrained models are committed). */
export function defaultModelsDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'models');
}

/**
 * Load a task model from a shipped name, a directory, or an http(s) URL.
 *
 * @example
 * const t = await load('translate-en-es');            // models/translate-en-es
 * const c = await load('./runs/caption-shapes/final');
 */
export async function load(
  nameOrDir: string,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  checkModelName(nameOrDir, 'a model directory or an http(s) URL');
  if (/^https?:\/\//.test(nameOrDir)) {
    const { load: loadUrl } = await import('./load');
    return loadUrl(nameOrDir, opts);
  }
  const dir = isModelName(nameOrDir)
    ? path.join(opts.baseUrl ?? defaultModelsDir(), nameOrDir)
    : path.resolve(nameOrDir);
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) {
    throw new Error(
      `load: '${nameOrDir}' is neither a shipped model name nor a directory (looked at ${dir})`,
    );
  }
  return loadFromSource(dirSource(dir), opts);
}
