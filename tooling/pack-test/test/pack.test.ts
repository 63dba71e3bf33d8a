// Packs every publishable @seqlab package (pnpm pack applies publishConfig: dist/ entries, real
// versions for workspace:/catalog:), installs the tarballs into a project in the OS temp folder —
// outside the workspace — and uses them there: Node (load + translate + caption), a browser bundle
// (esbuild, platform browser) and the `seqlab` binary run with plain node.
import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const MODELS = path.join(ROOT, 'models');
const HERE = path.resolve(import.meta.dirname, '..');

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  imports?: Record<string, unknown>;
  bin?: Record<string, string>;
  files?: string[];
  dependencies?: Record<string, string>;
  publishConfig?: { exports?: Record<string, Record<string, string>> };
}

const publishable = readdirSync(path.join(ROOT, 'packages'))
  .map((d) => path.join(ROOT, 'packages', d))
  .filter((d) => existsSync(path.join(d, 'package.json')))
  .map((dir) => ({
    dir,
    pkg: JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest,
  }))
  .filter(({ pkg }) => !pkg.private);

let work = '';
let app = '';
const tarballs = new Map<string, string>();

/** Files listed in a tarball, and its package.json as packed. */
async function tarball(file: string): Promise<{ files: string[]; pkg: Manifest }> {
  const list = await run('tar', ['tzf', file], { maxBuffer: 1 << 26 });
  const json = await run('tar', ['xzf', file, '-O', 'package/package.json']);
  return { files: list.stdout.trim().split('\n'), pkg: JSON.parse(json.stdout) as Manifest };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'seqlab-pack-'));
  expect(path.relative(ROOT, work).startsWith('..')).toBe(true);
  const dest = path.join(work, 'tarballs');
  for (const { dir, pkg } of publishable) {
    // turbo builds dist/ first (^build); build here when run on its own.
    if (!existsSync(path.join(dir, 'dist'))) await run('pnpm', ['run', 'build'], { cwd: dir });
    const { stdout } = await run('pnpm', ['pack', '--pack-destination', dest], { cwd: dir });
    const file = stdout
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop();
    if (!file)
      throw new Error(`pnpm pack in ${dir}: expected a .tgz path in its output, got ${stdout}`);
    tarballs.set(pkg.name, file);
  }
  app = path.join(work, 'app');
  const deps = Object.fromEntries([...tarballs].map(([n, f]) => [n, `file:${f}`]));
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify(
      { name: 'seqlab-consumer', private: true, type: 'module', dependencies: deps },
      null,
      2,
    ),
  );
  // The tarballs depend on each other by version (0.1.0, not on the registry): point those at the files.
  const overrides = Object.entries(deps).map(([n, v]) => `  "${n}": "${v}"`);
  writeFileSync(
    path.join(app, 'pnpm-workspace.yaml'),
    [
      'overrides:',
      ...overrides,
      'allowBuilds:',
      '  esbuild: true',
      '  "@resvg/resvg-js": true',
      '  core-js: false',
      '',
    ].join('\n'),
  );
  await run('pnpm', ['install', '--prefer-offline', '--config.confirmModulesPurge=false'], {
    cwd: app,
    env: { ...process.env, CI: 'true' },
    maxBuffer: 1 << 26,
  });
  cpSync(path.join(HERE, 'consumer.mjs'), path.join(app, 'consumer.mjs'));
  cpSync(path.join(HERE, 'browser-entry.mjs'), path.join(app, 'browser-entry.mjs'));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('pnpm pack', () => {
  it('packs every publishable package with dist entries, types, LICENSE and no sources', async () => {
    expect(publishable.map((p) => p.pkg.name).sort()).toEqual(
      ['cli', 'data', 'kernels', 'lab', 'models', 'rnn', 'seq2seq', 'text', 'train', 'vision'].map(
        (n) => `@seqlab/${n}`,
      ),
    );
    for (const [name, file] of tarballs) {
      const { files, pkg } = await tarball(file);
      expect(files, name).toContain('package/LICENSE');
      expect(files, name).toContain('package/README.md');
      expect(
        files.filter((f) => f.startsWith('package/src/')),
        name,
      ).toEqual([]);
      const text = JSON.stringify(pkg);
      expect(text, name).not.toMatch(/workspace:|catalog:|\.\/src\//);
      expect(pkg.private, name).toBeUndefined();
      for (const [sub, target] of Object.entries(pkg.exports ?? {})) {
        const t = target as Record<string, string>;
        for (const key of ['types', 'import'] as const) {
          expect(t[key], `${name} ${sub} ${key}`).toMatch(/^\.\/dist\//);
          expect(files, `${name} ${sub} ${key}`).toContain(`package/${(t[key] ?? '').slice(2)}`);
        }
      }
      for (const bin of Object.values(pkg.bin ?? {}))
        expect(files, `${name} bin`).toContain(`package/${bin.replace(/^\.\//, '')}`);
    }
  });
});

describe('installed outside the workspace', () => {
  it('resolves @seqlab packages from the tarballs, not from the workspace', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', "console.log(import.meta.resolve('@seqlab/models'))"],
      { cwd: app },
    );
    expect(stdout.trim()).toMatch(/\/node_modules\/.*@seqlab\/models\/dist\/index\.js$/);
    expect(stdout.trim().startsWith(`file://${app}`)).toBe(true);
  });

  it('loads, translates and captions in Node exactly as the workspace sources do', async () => {
    const installed = await run(process.execPath, ['consumer.mjs', MODELS], {
      cwd: app,
      maxBuffer: 1 << 24,
    });
    const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
    const source = await run(tsx, ['consumer.mjs', MODELS], { cwd: HERE, maxBuffer: 1 << 24 });
    const a = JSON.parse(installed.stdout.trim().split('\n').pop() ?? '');
    const b = JSON.parse(source.stdout.trim().split('\n').pop() ?? '');
    expect(a.translations).toHaveLength(3);
    expect(a.translations.every((t: string) => t.length > 0)).toBe(true);
    expect(a.translations[1]).toContain('%s');
    expect(a.captions).toHaveLength(3);
    expect(a.selfBleu).toBeCloseTo(100, 6);
    expect(a).toEqual(b);
  });

  it('bundles a browser entry with esbuild from the installed packages', async () => {
    const result = await build({
      absWorkingDir: app,
      entryPoints: [path.join(app, 'browser-entry.mjs')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const ours = inputs.filter((f) => f.includes('@seqlab/'));
    expect(ours.length).toBeGreaterThan(0);
    // Every seqlab module comes from the installed dist/, none from the workspace's src/.
    expect(ours.filter((f) => !/@seqlab\/[a-z0-9-]+\/dist\//.test(f))).toEqual([]);
    expect(inputs.filter((f) => f.startsWith('node:'))).toEqual([]);
    const js = result.outputFiles?.[0]?.text ?? '';
    expect(js.length).toBeGreaterThan(100_000);
    expect(js).toContain('export {');
  });

  it('runs the installed seqlab binary with plain node', async () => {
    const bin = path.join(app, 'node_modules', '@seqlab', 'cli', 'dist', 'bin.js');
    const cliPkg = publishable.find((p) => p.pkg.name === '@seqlab/cli')?.pkg;
    const version = await run(process.execPath, [bin, '--version'], { cwd: app });
    expect(version.stdout.trim()).toBe(cliPkg?.version);
    const help = await run(process.execPath, [bin, '--help'], { cwd: app });
    expect(help.stdout).toMatch(/translate/);
    const out = await run(
      process.execPath,
      [
        bin,
        'translate',
        '--beam',
        '4',
        '--model',
        path.join(MODELS, 'translate-en-es'),
        'Open file',
      ],
      { cwd: app, maxBuffer: 1 << 24 },
    );
    const consumer = await run(process.execPath, ['consumer.mjs', MODELS], {
      cwd: app,
      maxBuffer: 1 << 24,
    });
    const first = JSON.parse(consumer.stdout.trim().split('\n').pop() ?? '').translations[0];
    expect(out.stdout.trim().split('\n').pop()).toBe(first);
    // A usage error exits 2 with a message, also from the installed binary.
    const bad = await run(process.execPath, [bin, 'translate', '--beam', 'x', 'hi'], {
      cwd: app,
    }).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
  });
});
