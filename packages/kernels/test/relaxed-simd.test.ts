// enableRelaxedSimd: Node 20 runs the FMA build only when V8's flag is set before any wasm compiles.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const NODE_ENTRY = path.resolve(import.meta.dirname, '..', 'src', 'node.ts');

async function child(code: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', code],
    {
      cwd: path.resolve(import.meta.dirname, '..'),
    },
  );
  return stdout.trim();
}

describe('enableRelaxedSimd', () => {
  it('turns on the relaxed-SIMD build when called first, and the pool then runs it', async () => {
    const out = await child(`
      import { enableRelaxedSimd, KernelPool, nodeSpawn, trainKernelSupport } from ${JSON.stringify(NODE_ENTRY)};
      const now = enableRelaxedSimd();
      const pool = await KernelPool.create({ threads: 1, spawn: nodeSpawn });
      console.log(JSON.stringify({ now, pool: pool.relaxed, support: trainKernelSupport().relaxed }));
      pool.dispose();
    `);
    expect(JSON.parse(out)).toEqual({ now: true, pool: true, support: true });
  });

  it('on Node 20, comes too late once WebAssembly has compiled (why the CLI calls it first)', async () => {
    if (!process.versions.node.startsWith('20.')) return; // newer Node has relaxed SIMD on
    const out = await child(`
      import { enableRelaxedSimd, trainKernelSupport } from ${JSON.stringify(NODE_ENTRY)};
      const before = trainKernelSupport().relaxed;
      console.log(JSON.stringify({ before, after: enableRelaxedSimd() }));
    `);
    expect(JSON.parse(out)).toEqual({ before: false, after: false });
  });
});
