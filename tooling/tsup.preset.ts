// One build for every publishable package: ES modules + .d.ts + source maps in dist/, entries read from
// package.json. Workspace development stays source-first (exports point at src/*.ts); `pnpm pack`
// swaps in publishConfig, whose exports/imports/bin point at the files this build writes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Options } from 'tsup';

interface Manifest {
  name: string;
  exports?: Record<string, string>;
  imports?: Record<string, Record<string, string>>;
  bin?: Record<string, string>;
  publishConfig?: {
    exports?: Record<string, Record<string, string>>;
    imports?: Record<string, Record<string, string>>;
    bin?: Record<string, string>;
  };
}

/** `./src/a/b.node.ts` → `a/b.node` (the dist name, without extension). */
export function distName(src: string): string {
  const rel = path.posix.normalize(src).replace(/^(\.\/)?src\//, '');
  if (!rel.endsWith('.ts') || rel.startsWith('..'))
    throw new Error(`tsup preset: expected an entry under ./src ending in .ts, got ${src}`);
  return rel.slice(0, -3);
}

/**
 * Every source file the package exposes — exports, package imports (`#name` with conditions) and
 * bin — keyed by its dist name.
 * @example entries({ name: 'x', exports: { '.': './src/index.ts' } }) // { index: './src/index.ts' }
 */
export function entries(pkg: Manifest): Record<string, string> {
  const files = [
    ...Object.values(pkg.exports ?? {}),
    ...Object.values(pkg.imports ?? {}).flatMap((c) => Object.values(c)),
    ...Object.values(pkg.bin ?? {}),
  ];
  if (files.length === 0)
    throw new Error(`tsup preset: ${pkg.name} has no exports, imports or bin`);
  return Object.fromEntries(files.map((f) => [distName(f), f]));
}

/**
 * tsup options for the package whose directory is `dir` (pass `import.meta.dirname`).
 * @example export default defineConfig(packageBuild(import.meta.dirname));
 */
export function packageBuild(dir: string, extra: Options = {}): Options {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;
  return {
    entry: entries(pkg),
    outDir: 'dist',
    format: ['esm'],
    target: 'es2022',
    // Neutral: no Node built-in is assumed; node: imports (only in ./node entries) stay imports.
    platform: 'neutral',
    // Nothing from node_modules is bundled: every dependency stays an import (declared in package.json).
    skipNodeModulesBundle: true,
    external: [/^node:/, ...Object.keys(pkg.imports ?? {})],
    dts: true,
    sourcemap: true,
    splitting: true,
    clean: true,
    treeshake: false,
    silent: true,
    ...extra,
  };
}
