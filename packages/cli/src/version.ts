// The @seqlab/cli version, read from its package.json (one level above src/ and dist/ alike).
import { readFileSync } from 'node:fs';

/** `version` of packages/cli/package.json. */
export function cliVersion(): string {
  const url = new URL('../package.json', import.meta.url);
  const pkg = JSON.parse(readFileSync(url, 'utf8')) as { name?: unknown; version?: unknown };
  if (pkg.name !== '@seqlab/cli' || typeof pkg.version !== 'string')
    throw new Error(
      `${url.pathname}: expected the @seqlab/cli package.json with a "version" string; got name ${JSON.stringify(pkg.name)}, version ${JSON.stringify(pkg.version)}`,
    );
  return pkg.version;
}
