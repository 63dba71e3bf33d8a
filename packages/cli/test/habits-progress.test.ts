// Issue 22: progress bars with ETA go to stderr only when it is a terminal, never with --quiet,
// and never into a pipe or a log file (where they would be noise between the results).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProgressStream, progress, showProgress } from '../src/progress';
import { cli, seqlab, seqlabArgv } from './run-cli';

let tmp = '';
let testTsv = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-progress-'));
  testTsv = join(tmp, 'test.tsv');
  await writeFile(
    testTsv,
    'Open the file\tAbrir el archivo\nQuit\tSalir\nSave as %s\tGuardar como %s\n',
  );
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A stand-in for stderr that records what is written, a terminal or not. */
function stream(tty: boolean): { s: ProgressStream; text: () => string } {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (tty) {
    s.isTTY = true;
    s.columns = 120;
  }
  let out = '';
  s.on('data', (d: Buffer) => {
    out += d.toString();
  });
  return { s, text: () => out };
}

describe('progress()', () => {
  it('on a terminal: a named bar with value/total, ETA and the label; stop() clears the line', () => {
    const { s, text } = stream(true);
    const bar = progress('eval', { stream: s });
    bar.update(0, 40);
    bar.update(10, 40, 'google');
    bar.log('warning: one file missing');
    bar.stop();
    const out = text();
    expect(out).toMatch(/eval \|[█░]{40}\| 0\/40 \| ETA /);
    expect(out).toContain('warning: one file missing\n');
    expect(out).toMatch(/\| 10\/40 \| ETA \S+ \| google/);
    expect(out.endsWith('\x1b[2K'), 'the bar is erased at the end').toBe(true);
  });

  it('model loading shows a percentage of the bytes', () => {
    const { s, text } = stream(true);
    const bar = progress('load m', { stream: s, unit: 'bytes' });
    bar.update(250, 1000);
    bar.stop();
    expect(text()).toMatch(/load m \|[█░]+\| 25% \| ETA /);
  });

  it('draws nothing when the stream is not a terminal, or with --quiet', () => {
    for (const [tty, quiet] of [
      [false, false],
      [false, true],
      [true, true],
    ] as const) {
      const { s, text } = stream(tty);
      expect(showProgress({ stream: s, quiet })).toBe(false);
      const bar = progress('eval', { stream: s, quiet });
      bar.update(1, 2);
      bar.log('not drawn either');
      bar.stop();
      expect(text(), `tty ${tty}, quiet ${quiet}`).toBe('');
    }
    expect(showProgress({ stream: stream(true).s })).toBe(true);
  });
});

/** `script` runs a command on a pseudo-terminal: stdout and stderr are both a TTY there. */
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
function onTerminal(args: string[], input = ''): { status: number | null; out: string } {
  const [node, argv] = seqlabArgv(args);
  const q = (w: string) => `'${w.replace(/'/g, `'\\''`)}'`;
  const r = spawnSync('script', ['-qec', [node, ...argv].map(q).join(' '), '/dev/null'], {
    cwd: cli,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, NO_COLOR: '1' },
    input,
  });
  return { status: r.status, out: r.stdout };
}

describe('seqlab: progress on stderr', () => {
  const evalArgs = () => ['eval', 'translate', '--model', 'translate-en-es', '--test', testTsv];

  it('not a terminal (a pipe): eval, data shapes, data emoji and model loading print no bar; stdout holds the result only', async () => {
    const ev = await seqlab(evalArgs());
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stderr).toBe('');
    expect(Object.keys(JSON.parse(ev.stdout))).toContain('bleu');
    const shapes = await seqlab(['data', 'shapes', '--out', join(tmp, 'shapes'), '--count', '3']);
    expect(shapes.code, shapes.stderr).toBe(0);
    expect(shapes.stderr).toBe('');
    const emoji = await seqlab([
      'data',
      'emoji',
      '--out',
      join(tmp, 'emoji'),
      '--styles',
      'google',
      '--limit',
      '3',
    ]);
    expect(emoji.code, emoji.stderr).toBe(0);
    expect(emoji.stderr).toBe('');
    expect(emoji.stdout).toMatch(/^google: 3 images/);
    const tr = await seqlab(['translate', '--model', 'translate-en-es', 'Quit']);
    expect(tr.stderr).toBe('');
    expect(tr.stdout).toBe('Salir\n');
  }, 90_000);

  it.skipIf(!hasScript)(
    'on a terminal: bars with ETA for model loading, eval, data shapes and data emoji; none with --quiet',
    () => {
      const shown = onTerminal(evalArgs());
      expect(shown.status, shown.out).toBe(0);
      expect(shown.out).toMatch(/load translate-en-es \|[█░]+\| \d+% \| ETA /);
      expect(shown.out).toMatch(/eval \|[█░]+\| 3\/3 \| ETA /);
      expect(shown.out).toMatch(/"bleu":/);
      const quiet = onTerminal([...evalArgs(), '--quiet']);
      expect(quiet.status, quiet.out).toBe(0);
      expect(quiet.out).not.toContain('ETA');
      expect(quiet.out).not.toContain('\x1b');
      expect(quiet.out).toMatch(/^\{"model":"translate-en-es".*\}\r?\n$/);
      const shapes = onTerminal(['data', 'shapes', '--out', join(tmp, 'tty'), '--count', '3']);
      expect(shapes.status, shapes.out).toBe(0);
      expect(shapes.out).toMatch(/shapes \|[█░]+\| 3\/3 \| ETA /);
      const emoji = onTerminal([
        'data',
        'emoji',
        '--out',
        join(tmp, 'emoji-tty'),
        '--styles',
        'google,openmoji',
        '--limit',
        '3',
      ]);
      expect(emoji.status, emoji.out).toBe(0);
      expect(emoji.out).toMatch(/emoji \|[█░]+\| 3\/3 \| ETA \S+ \| google/);
      expect(emoji.out).toMatch(/emoji \|[█░]+\| 1\/3 \| ETA \S+ \| openmoji/);
      // A new bar per style: google's is erased before openmoji's starts.
      const between = emoji.out.slice(
        emoji.out.lastIndexOf('| google'),
        emoji.out.indexOf('| openmoji'),
      );
      expect(between).toContain('\x1b[2K');
      // translate reading a terminal says so on stderr (in a pipe it does not: habits-pipes).
      const typed = onTerminal(['translate', '--model', 'translate-en-es'], 'Quit\n');
      expect(typed.status, typed.out).toBe(0);
      expect(typed.out).toContain('seqlab translate: reading sentences from stdin, one a line');
      expect(typed.out).toMatch(/Salir\r?\n$/);
    },
    120_000,
  );
});
