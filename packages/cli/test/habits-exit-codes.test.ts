// Issue 22: every command's exit status — 2 for a usage error (a flag, a value or an argument the
// command cannot take), 1 for a failure of the work itself (a missing file, a model that does not
// load), each with one `seqlab…:` line on stderr that names the problem, and no stack trace.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqlab } from './run-cli';

let tmp = '';
let tsv = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-exit-'));
  tsv = join(tmp, 'test.tsv');
  await writeFile(tsv, 'Quit\tSalir\n');
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** [command words…, expected status, a piece of the message]. */
type Case = [() => string[], number, string | RegExp];

async function check(cases: Case[]): Promise<void> {
  const wrong: string[] = [];
  for (const [argv, status, msg] of cases) {
    const args = argv();
    const r = await seqlab(args);
    const said = typeof msg === 'string' ? r.stderr.includes(msg) : msg.test(r.stderr);
    if (r.code !== status || !said || /\n\s+at /.test(r.stderr))
      wrong.push(
        `seqlab ${args.join(' ')}: expected status ${status} and ${String(msg)}; got ${r.code}: ${r.stderr.slice(0, 400)}`,
      );
  }
  expect(wrong).toEqual([]);
}

describe('seqlab exit status', () => {
  it('usage errors exit 2, for every command', async () => {
    const missing = /error: required option|error: missing required argument/;
    await check([
      [() => [], 2, 'Usage: seqlab'],
      [() => ['frobnicate'], 2, "unknown command 'frobnicate'"],
      [() => ['data'], 2, 'Usage: seqlab data'],
      [() => ['translate', 'hi'], 2, missing],
      [() => ['translate', '--model', 'translate-en-es', '--beam', '0', 'hi'], 2, '--beam expects'],
      [
        () => ['translate', '--model', 'caption-shapes', 'hi'],
        2,
        'is a caption model; expected a translate model',
      ],
      [
        () => ['translate', '--model', 'm', '--beam', '2', '--json', '--n-best', '4'],
        2,
        '--n-best (4) must not exceed --beam (2)',
      ],
      [() => ['caption', '--model', 'caption-shapes'], 2, missing],
      [
        () => ['caption', '--model', 'translate-en-es', 'a.png'],
        2,
        'is a translate model; expected a caption model',
      ],
      [() => ['caption', '--model', 'm', '--attention', 'a.png'], 2, '--attention needs --json'],
      [() => ['eval', 'translate', '--model', 'translate-en-es'], 2, missing],
      [
        () => ['eval', 'translate', '--model', 'caption-shapes', '--test', tsv],
        2,
        'expected a translate model for eval translate',
      ],
      [
        () => ['eval', 'caption', '--model', 'caption-shapes', '--data', 'd', '--beam', '17'],
        2,
        '--beam expects',
      ],
      [
        () => ['data', 'shapes', '--out', join(tmp, 's'), '--split', 'nope'],
        2,
        '--split must be one of',
      ],
      [
        () => ['data', 'emoji', '--out', join(tmp, 'e'), '--styles', 'google,comic'],
        2,
        '--styles: expected',
      ],
      [
        () => ['data', 'gettext', '--out', join(tmp, 'g'), '--langs', 'es,Spanish'],
        2,
        '--langs expects',
      ],
      [
        () => ['data', 'gettext-held-out', '--manifest', 'm.json', '--min', '9', '--max', '1'],
        2,
        '--min (9) must not exceed --max (1)',
      ],
      [
        () => ['train', 'translate', '--config', 'c.json', '--resume', '--overwrite'],
        2,
        '--resume and --overwrite exclude each other',
      ],
      [
        () => ['train', 'caption', '--config', 'c.json', '--engine', 'kernels'],
        2,
        '--engine: expected tfjs for caption',
      ],
      [
        () => ['bench', 'lstm', '--backends', 'wasm,gpu'],
        2,
        "--backends expects a comma-separated subset of wasm,cpu; got 'wasm,gpu'",
      ],
      [
        () => ['sweep', 'translate', '--config', 'c.json', '--grid', 'g.json', '--out', 'o'],
        2,
        'give exactly one of --max-steps N or --minutes M',
      ],
      [
        () => ['bench', 'decode', '--rounds', '0'],
        2,
        '--rounds expects an integer from 1 to 1000; got "0"',
      ],
    ]);
  }, 300_000);

  it('failures of the work exit 1, for every command that does work', async () => {
    const nowhere = '/dev/null/seqlab'; // below a file: no directory can be made there
    await check([
      [() => ['translate', '--model', 'no-such-model', 'hi'], 1, 'no-such-model'],
      [() => ['caption', '--model', 'caption-shapes', join(tmp, 'none.png')], 1, 'none.png'],
      [
        () => ['eval', 'translate', '--model', 'translate-en-es', '--test', join(tmp, 'none.tsv')],
        1,
        'none.tsv',
      ],
      [
        () => ['eval', 'caption', '--model', 'caption-shapes', '--data', join(tmp, 'none')],
        1,
        join(tmp, 'none'),
      ],
      [() => ['data', 'shapes', '--out', nowhere, '--count', '1'], 1, 'ENOTDIR'],
      [() => ['data', 'emoji', '--out', nowhere, '--limit', '1'], 1, 'ENOTDIR'],
      [
        () => ['data', 'gettext', '--out', join(tmp, 'g'), '--packages', join(tmp, 'none.txt')],
        1,
        'none.txt',
      ],
      [() => ['data', 'gettext-held-out', '--manifest', join(tmp, 'none.json')], 1, 'none.json'],
      [() => ['train', 'translate', '--config', join(tmp, 'none.json')], 1, 'none.json'],
      [() => ['train', 'caption', '--config', join(tmp, 'none.json')], 1, 'none.json'],
      [() => ['bench', 'decode', '--models', 'no-such-model', '--rounds', '1'], 1, 'no-such-model'],
      [
        () => [
          'sweep',
          'translate',
          '--config',
          '../../configs/translate-en-es.json',
          '--grid',
          join(tmp, 'none.json'),
          '--out',
          join(tmp, 'sw'),
          '--max-steps',
          '1',
        ],
        1,
        'none.json',
      ],
    ]);
  }, 300_000);
});
