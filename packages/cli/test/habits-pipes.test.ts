// Issue 22: `seqlab translate` in a pipeline — stdin one sentence a line, one result a line on
// stdout as each is done (in order), nothing but results on stdout, and a reader that stops early
// (`| head -1`) ends it quietly with status 0.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, seqlab, seqlabArgv, spawnSeqlab } from './run-cli';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-pipes-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Quote a word for bash. */
const sh = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;

describe('translate in a pipe', () => {
  it('streams: each line is translated and printed before the next line is even written', async () => {
    const child = spawnSeqlab(['translate', '--model', 'translate-en-es']);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    /** Resolves once stdout holds n complete lines; fails if seqlab exits first. */
    const waitForLines = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (stdout.split('\n').length <= n) return;
          child.stdout.off('data', check);
          child.off('close', early);
          resolve();
        };
        const early = (code: number | null) =>
          reject(new Error(`seqlab exited (${code}) after ${JSON.stringify(stdout)}: ${stderr}`));
        child.stdout.on('data', check);
        child.once('close', early);
        check();
      });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.write('Quit\n');
    await waitForLines(1); // stdin is still open: the first result did not wait for the end
    expect(stdout).toBe('Salir\n');
    child.stdin.write('Open the file\n');
    await waitForLines(2);
    child.stdin.end('Save the file as %s\n');
    expect(await closed).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 2)).toEqual(['Salir', 'Abrir el archivo']);
    expect(lines[2]).toContain('%s');
    expect(stderr).toBe(''); // no progress, no chatter: stderr is a pipe here
  }, 60_000);

  it('stdout carries results only: warnings about bad lines go to stderr', async () => {
    const r = await seqlab(
      ['translate', '--model', 'translate-en-es'],
      Buffer.concat([Buffer.from('Quit\n'), Buffer.from([0xff, 0x0a]), Buffer.from('Quit\n')]),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('Salir\n\nSalir\n');
    const warnings = r.stderr.split('\n');
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(
      /^seqlab translate: stdin:2: not valid UTF-8 \(byte 0xff at byte 1/,
    );
    expect(warnings.slice(1)).toEqual(['seqlab translate: 1 line(s) not translated', '']);
  }, 60_000);

  it('`| head -1` closes stdout early: seqlab stops with status 0 and no EPIPE error', async () => {
    const input = join(tmp, 'many.txt');
    await writeFile(
      input,
      Array.from({ length: 200 }, (_, i) => `Open the file number ${i + 1}\n`).join(''),
    );
    const [node, argv] = seqlabArgv(['translate', '--model', 'translate-en-es']);
    const line = `${[node, ...argv].map(sh).join(' ')} < ${sh(input)} 2>${sh(join(tmp, 'err.txt'))} | head -1; echo "status=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['-c', line], { cwd: cli, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const [first, status, ...rest] = r.stdout.split('\n');
    expect(first).toMatch(/archivo/);
    expect(status).toBe('status=0');
    expect(rest).toEqual(['']);
    const err = spawnSync('cat', [join(tmp, 'err.txt')], { encoding: 'utf8' }).stdout;
    expect(err).toBe('');
  }, 120_000);
});
