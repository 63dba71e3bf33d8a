// Issue 16 end to end: batch input (class 7: bad stdin lines reported by number and skipped, eval files
// refused naming file:line, BOMs dropped), empty model names (class 8) and run directories (class 3).
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@seqlab/data/node';
import { initBackend } from '@seqlab/rnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModels } from './fixtures/tiny-models';
import { seqlab } from './run-cli';

let tmp = '';
let translateDir = '';
let captionDir = '';
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const enc = (s: string) => Buffer.from(s, 'utf8');

beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-reliability-'));
  ({ translateDir, captionDir } = await writeTinyModels(tmp));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('translate from stdin (class 7)', () => {
  it('reports each bad line by number, translates the others in place, exits 1 at the end', async () => {
    const good = await seqlab(['translate', '--model', translateDir], 'Open the file\nQuit\n');
    expect(good.code, good.stderr).toBe(0);
    const [open, quit] = good.stdout.split('\n');
    const input = Buffer.concat([
      enc('Open the file\n'),
      Buffer.from([0x41, 0xff, 0x42, 0x0a]), // line 2: not UTF-8
      enc(`${'word '.repeat(5000)}\n`), // line 3: 25,000 characters, over the translator's limit
      enc(`${'x'.repeat(1_200_000)}\r\n`), // line 4: over the reader's 1 MiB line limit
      enc('Quit\r\n'), // line 5: CRLF
      enc('Open the file'), // line 6: no final newline
    ]);
    const r = await seqlab(['translate', '--model', translateDir], input);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([open, '', '', '', quit, open, '']);
    expect(r.stderr).toContain('seqlab translate: stdin:2: not valid UTF-8 (byte 0xff at byte 2');
    expect(r.stderr).toMatch(/seqlab translate: stdin:3: translate: input has 25000 characters/);
    expect(r.stderr).toContain('seqlab translate: stdin:4: line is 1200001 bytes long');
    expect(r.stderr).toContain('3 line(s) not translated');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 90_000);
});

describe('eval files (class 7)', () => {
  const evalTranslate = (test: string, ...more: string[]) =>
    seqlab(['eval', 'translate', '--model', translateDir, '--test', test, ...more]);
  const rows = 'Open the file\tAbrir el archivo\nQuit\tSalir\nSave as %s\tGuardar como %s\n';

  it('non-UTF-8 bytes and a huge line are refused naming file and line; no scores are printed', async () => {
    const latin1 = join(tmp, 'latin1.tsv');
    await writeFile(
      latin1,
      Buffer.concat([enc('Quit\tSalir\nOpen\t'), Buffer.from([0x41, 0xf1, 0x6f]), enc('\n')]),
    );
    const a = await evalTranslate(latin1);
    expect(a.code).toBe(1);
    expect(a.stderr).toContain(`${latin1}:2: not valid UTF-8 (byte 0xf1 at byte 7 of the line)`);
    expect(a.stdout).toBe('');
    const huge = join(tmp, 'huge.tsv');
    await writeFile(huge, `Quit\tSalir\n${'a'.repeat(1_100_000)}\tb\n`);
    const b = await evalTranslate(huge);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${huge}:2: line is 1100002 bytes long; at most 1048576`);
    expect(b.stdout).toBe('');
    // --limit reads only the lines it scores: a bad line after them is never reached.
    const c = await evalTranslate(latin1, '--limit', '1');
    expect(c.code, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ n: 1 });
  }, 90_000);

  it('a byte-order mark changes nothing: the same scores as without it', async () => {
    const plain = join(tmp, 'plain.tsv');
    const bom = join(tmp, 'bom.tsv');
    await writeFile(plain, rows);
    await writeFile(bom, Buffer.concat([BOM, enc(rows)]));
    const [p, b] = [await evalTranslate(plain), await evalTranslate(bom)];
    expect(p.code, p.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const strip = (s: string) => {
      const { test: _t, ms_per_sentence: _m, ...rest } = JSON.parse(s);
      return rest;
    };
    expect(strip(b.stdout)).toEqual(strip(p.stdout));
    expect(strip(p.stdout)).toMatchObject({ n: 3 });
  }, 90_000);

  it('eval caption reads a captions.tsv that starts with a BOM', async () => {
    const data = join(tmp, 'bom-captions');
    await mkdir(data);
    const png = encodePng({
      width: 64,
      height: 64,
      data: new Uint8ClampedArray(64 * 64 * 4).fill(99),
    });
    await writeFile(join(data, 'a.png'), png);
    await writeFile(join(data, 'b.png'), png);
    await writeFile(
      join(data, 'captions.tsv'),
      Buffer.concat([BOM, enc('a.png\ta small red circle\nb.png\ta red circle\n')]),
    );
    const r = await seqlab(['eval', 'caption', '--model', captionDir, '--data', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ n: 2 });
  }, 90_000);
});

describe('empty model names (class 8)', () => {
  it('--model "" says the name is empty and lists the valid names', async () => {
    for (const cmd of [
      ['translate', 'hi'],
      ['caption', 'a.png'],
    ]) {
      const r = await seqlab([cmd[0] as string, '--model', '', cmd[1] as string]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /load: the model name is empty; expected one of translate-en-es, .*caption-emoji, or a model directory/,
      );
      expect(r.stderr).not.toMatch(/model\.json/);
    }
  }, 60_000);
});

describe('run directories (class 3)', () => {
  it('train refuses a run dir that holds a checkpoint without --resume or --overwrite, before reading data', async () => {
    const runDir = join(tmp, 'run');
    const out = join(tmp, 'out');
    await mkdir(join(runDir, 'checkpoint'), { recursive: true });
    await writeFile(join(runDir, 'checkpoint', 'checkpoint.sqck'), 'earlier work');
    await cp(captionDir, out, { recursive: true });
    const before = await readFile(join(out, 'model.json'));
    const cfg = join(tmp, 'cfg.json');
    await writeFile(
      cfg,
      JSON.stringify({
        name: 'c',
        runDir,
        out,
        batchSize: 2,
        lr: 0.01,
        clipNorm: 5,
        epochs: 1,
        validSize: 2,
        validateEvery: 1,
        checkpointEvery: 1,
        patience: 1,
        seed: 1,
        quantization: 'float32',
        // A folder that does not exist: the refusal must come before any data is read.
        dataset: { kind: 'folders', train: [join(tmp, 'no-such-folder')], test: [] },
      }),
    );
    const r = await seqlab(['train', 'caption', '--config', cfg]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${runDir} holds a checkpoint: ${join(runDir, 'checkpoint', 'checkpoint.sqck')}`,
    );
    expect(r.stderr).toMatch(/Pass --resume to continue it, or --overwrite/);
    expect(r.stderr).not.toMatch(/no-such-folder/);
    expect(await readFile(join(runDir, 'checkpoint', 'checkpoint.sqck'), 'utf8')).toBe(
      'earlier work',
    );
    expect(await readFile(join(out, 'model.json'))).toEqual(before);
  }, 60_000);
});
