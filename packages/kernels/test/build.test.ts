// Every generated NAME-wasm.ts is the current assembly of its NAME.wat.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');

test('each NAME-wasm.ts is the current assembly of NAME.wat', () => {
  // Throws (exit 1) when a generated module is stale.
  const run = () =>
    execFileSync(process.execPath, [join(pkg, 'scripts', 'build-wasm.mjs'), '--check'], {
      stdio: 'pipe',
    });
  expect(run).not.toThrow();
});
