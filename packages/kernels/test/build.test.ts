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

test('@include splices NAME.inc.wat files (nested), and refuses cycles and missing files', async () => {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { pathToFileURL } = await import('node:url');
  const script = pathToFileURL(join(pkg, 'scripts', 'build-wasm.mjs')).href;
  const { readWat } = (await import(script)) as { readWat: (path: string) => string };
  const dir = mkdtempSync(join(tmpdir(), 'seqlab-wat-'));
  try {
    const w = (name: string, text: string) => writeFileSync(join(dir, name), text);
    w('m.wat', '(module\n  ;; @include a.inc.wat\n)\n');
    w('a.inc.wat', '  (func $a)\n  ;; @include b.inc.wat\n');
    w('b.inc.wat', '  (func $b)\n');
    expect(readWat(join(dir, 'm.wat'))).toBe('(module\n  (func $a)\n  (func $b)\n)\n');
    w('b.inc.wat', '  ;; @include a.inc.wat\n');
    expect(() => readWat(join(dir, 'm.wat'))).toThrow(
      /@include cycle: .*a\.inc\.wat → .*b\.inc\.wat → .*a\.inc\.wat/,
    );
    w('b.inc.wat', '  ;; @include gone.inc.wat\n');
    expect(() => readWat(join(dir, 'm.wat'))).toThrow(/@include gone\.inc\.wat: no such file/);
    w('m.wat', '(module\n  ;; @include x.wat\n)\n');
    expect(() => readWat(join(dir, 'm.wat'))).toThrow(/expected a NAME\.inc\.wat file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
