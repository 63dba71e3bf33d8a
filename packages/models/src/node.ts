// @seqlab/models/node: load task models from local folders and file:// URLs (fs) too, for the CLI and Node users.
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkSetting, env, setDefaultModelHost } from './env';
import { loadFromSource, load as loadUrl } from './load';
import { checkModelName, isBareName, isModelName } from './resolve';

export { clearModelCache } from './cache';
export { env, resetEnv } from './env';

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

// In Node, names resolve to the repository's models/ folder when it is there (unless the user set
// env.modelHost first); otherwise env.modelHost stays '/models' and must be set to a URL or folder.
if (existsSync(defaultModelsDir())) setDefaultModelHost(defaultModelsDir());

/** True for an http: or https: URL. */
const isHttp = (x: string) => /^https?:\/\//i.test(x);

/** The folder a path or file:// URL points at ('…/model.json' is its folder). */
function folderOf(x: string): string {
  const p = /^file:/i.test(x) ? fileURLToPath(x) : x;
  return path.resolve(path.basename(p) === 'model.json' ? path.dirname(p) : p);
}

/**
 * Where `load` looks for a name, URL or folder: an http(s) URL, or a folder path. A bare name
 * goes under `host` (env.modelHost); a bare name that is not there but is a folder in the
 * current directory is that folder (as before names were resolved against a host).
 */
async function locate(nameOrDir: string, host: string): Promise<{ url: string } | { dir: string }> {
  if (isHttp(nameOrDir)) return { url: nameOrDir };
  if (!isBareName(nameOrDir)) return { dir: folderOf(nameOrDir) };
  if (isHttp(host)) return { url: `${host.replace(/\/+$/, '')}/${nameOrDir}` };
  const underHost = path.join(folderOf(host), nameOrDir);
  if (isModelName(nameOrDir) || (await isDir(underHost)) || !(await isDir(nameOrDir)))
    return { dir: underHost };
  return { dir: path.resolve(nameOrDir) };
}

const isDir = (p: string) =>
  fs.stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * Load a task model from a name, a folder, a file:// URL or an http(s) URL. Names resolve
 * against `opts.baseUrl`, else `env.modelHost` (by default the repository's models/ folder); a
 * path or URL may end in '/model.json' or '/'. Errors say where they looked.
 *
 * @example
 * const t = await load('translate-en-es');                 // models/translate-en-es
 * const c = await load('./runs/caption-shapes/final');     // a folder
 * const u = await load(pathToFileURL('/srv/m/x/').href);   // a file:// URL
 * const h = await load('https://example.org/m/x/model.json');
 */
export async function load(
  nameOrDir: string,
  opts: LoadOptions = {},
): Promise<Translator | Captioner> {
  checkModelName(nameOrDir, 'a model directory, a file:// URL or an http(s) URL');
  if (opts.baseUrl !== undefined) checkSetting('modelHost', opts.baseUrl, 'load: opts.baseUrl');
  const host = opts.baseUrl ?? env.modelHost;
  const where = await locate(nameOrDir, host);
  if ('url' in where) return loadUrl(where.url, { ...opts, baseUrl: undefined });
  const stat = await fs.stat(where.dir).catch(() => null);
  if (!stat?.isDirectory()) {
    const hint = isBareName(nameOrDir)
      ? `; names resolve under ${opts.baseUrl !== undefined ? 'opts.baseUrl' : 'env.modelHost'} (${host})`
      : '';
    throw new Error(
      `load: '${nameOrDir}' is neither a shipped model name nor a directory (looked at ${where.dir})${hint}`,
    );
  }
  return loadFromSource(dirSource(where.dir), opts);
}
