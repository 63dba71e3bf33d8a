// Files shipped inside @seqlab/data (lists/), found from this module whether it runs from src/ or dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of `rel` inside the @seqlab/data package: walks up from this module to the
 * folder whose package.json is @seqlab/data (src/gettext/… in the workspace, dist/… when installed).
 * @example packageFile('lists/gettext-packages.txt') // …/packages/data/lists/gettext-packages.txt
 */
export function packageFile(rel: string, from = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
      if (name === '@seqlab/data') return join(dir, rel);
    }
    if (dirname(dir) === dir)
      throw new Error(`@seqlab/data: expected the package folder above ${from}, found none`);
  }
}
