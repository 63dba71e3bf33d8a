// Writes a model folder as a whole: into a temporary sibling folder, then renamed into place.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** fsync every file of `dir` and `dir` itself (best effort for the directory), so the rename publishes complete files. */
async function syncTree(dir: string): Promise<void> {
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await syncTree(p);
    else if (e.isFile()) {
      const h = await fs.open(p, 'r');
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    }
  }
  try {
    const d = await fs.open(dir, 'r');
    await d.sync().catch(() => undefined);
    await d.close();
  } catch {
    // directory fsync is best effort (some filesystems refuse it)
  }
}

/**
 * Build a model folder with `write(tmpDir)` and replace `out` with it only once it is complete:
 * the files go to `<out>.partial-<pid>` (fsynced), the old folder is renamed aside, the new one
 * renamed into place, and the old one removed. A failure while writing leaves `out` untouched
 * (and removes the partial folder); files of the old folder that the new one lacks do not survive
 * (stale weight shards included).
 *
 * @example await writeModelFolder('models/translate-en-es', async (dir) => { await saveSeq2Seq(m, fileHandler(dir)); });
 */
export async function writeModelFolder(
  out: string,
  write: (dir: string) => Promise<void>,
): Promise<void> {
  const target = path.resolve(out);
  const tmp = `${target}.partial-${process.pid}`;
  const old = `${target}.old-${process.pid}`;
  const existed = await fs.stat(target).then(
    (s) => {
      if (!s.isDirectory())
        throw new Error(`model folder ${out}: exists and is not a directory; not replaced`);
      return true;
    },
    (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw new Error(`model folder ${out}: cannot inspect (${e.message})`);
    },
  );
  await fs.rm(tmp, { recursive: true, force: true });
  try {
    await fs.mkdir(tmp, { recursive: true });
    await write(tmp);
    await syncTree(tmp);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw new Error(
      `model folder ${out}: writing it failed (${(e as Error).message}); the previous folder, if any, is left intact`,
    );
  }
  if (existed) await fs.rename(target, old);
  try {
    await fs.rename(tmp, target);
  } catch (e) {
    if (existed) await fs.rename(old, target).catch(() => undefined);
    throw new Error(
      `model folder ${out}: cannot move the new folder into place (${(e as Error).message}); the new one is in ${tmp}`,
    );
  }
  if (existed) await fs.rm(old, { recursive: true, force: true });
}
