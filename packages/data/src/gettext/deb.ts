// Node-only: fetch a Debian package with apt-get download and pull its .mo files out with dpkg-deb + tar.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type CatalogFile, selectCatalogs } from './layout';

const run = promisify(execFile);
const BIG = { maxBuffer: 256 * 1024 * 1024 };

/** Package names from a list file: one a line, `#` comments and blank lines ignored. */
export async function readPackageList(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '');
}

/**
 * The path of `pkg`'s .deb in `cacheDir`, running `apt-get download pkg` there first when none is
 * cached (file names are `name_version_arch.deb`, so `gettext_` never matches `gettext-base_`).
 */
export async function ensureDeb(pkg: string, cacheDir: string): Promise<string> {
  const find = async () =>
    (await readdir(cacheDir)).filter((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb')).sort();
  let found = await find();
  if (found.length === 0) {
    try {
      await run('apt-get', ['download', pkg], { cwd: cacheDir, ...BIG });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(`apt-get download ${pkg} failed in ${cacheDir}: ${msg}`);
    }
    found = await find();
    if (found.length === 0)
      throw new Error(`apt-get download ${pkg} left no ${pkg}_*.deb in ${cacheDir}`);
  }
  return join(cacheDir, found[found.length - 1] as string);
}

/**
 * Download every package of `names` that has no .deb in `cacheDir` yet, `batch` names per
 * `apt-get download` call (one call per package costs ~1 s of apt start-up: 500 packages add
 * minutes). A failing batch is retried one package at a time so the error names the package.
 * Returns the names it downloaded.
 * @example await downloadDebs(await readPackageList(DEFAULT_PACKAGES_FILE), 'data-cache/debs');
 */
export async function downloadDebs(
  names: readonly string[],
  cacheDir: string,
  batch = 25,
): Promise<string[]> {
  const have = new Set((await readdir(cacheDir)).filter((f) => f.endsWith('.deb')));
  const cached = (pkg: string) => [...have].some((f) => f.startsWith(`${pkg}_`));
  const missing = names.filter((n) => !cached(n));
  for (let i = 0; i < missing.length; i += batch) {
    const part = missing.slice(i, i + batch);
    try {
      await run('apt-get', ['download', ...part], { cwd: cacheDir, ...BIG });
    } catch {
      for (const pkg of part) await ensureDeb(pkg, cacheDir);
    }
  }
  return missing;
}

/** SHA-256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The Version field of a .deb. */
export async function debVersion(deb: string): Promise<string> {
  const { stdout } = await run('dpkg-deb', ['-f', deb, 'Version'], BIG);
  return stdout.trim();
}

/** A catalog read out of a package: which file, and its bytes. */
export interface ExtractedCatalog extends CatalogFile {
  bytes: Uint8Array;
}

/**
 * Read the `langs` catalogs of a .deb without installing it: list its data tarball, choose the
 * catalogs (selectCatalogs), extract just those into a temporary dir, read them, delete the dir.
 */
export async function extractCatalogs(
  deb: string,
  langs: readonly string[],
): Promise<ExtractedCatalog[]> {
  const { stdout } = await run(
    'bash',
    ['-c', 'set -o pipefail; dpkg-deb --fsys-tarfile "$1" | tar -t', 'bash', deb],
    BIG,
  );
  const chosen = selectCatalogs(stdout.split('\n'), langs);
  if (chosen.length === 0) return [];
  const dir = await mkdtemp(join(tmpdir(), 'seqlab-deb-'));
  try {
    const list = join(dir, 'members.txt');
    await writeFile(list, `${chosen.map((c) => c.path).join('\n')}\n`);
    const out = join(dir, 'fs');
    await run('mkdir', ['-p', out]);
    await run(
      'bash',
      [
        '-c',
        'set -o pipefail; dpkg-deb --fsys-tarfile "$1" | tar -x -C "$2" --verbatim-files-from -T "$3"',
        'bash',
        deb,
        out,
        list,
      ],
      BIG,
    );
    const result: ExtractedCatalog[] = [];
    for (const c of chosen)
      result.push({ ...c, bytes: new Uint8Array(await readFile(join(out, c.path))) });
    return result;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
