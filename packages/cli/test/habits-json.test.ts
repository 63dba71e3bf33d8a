// Issue 22: `translate --json` and `caption --json` on the shipped models — one JSON object per
// input (JSON Lines), the n-best list with scores, attention on request, failures in their place.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScene } from '@seqlab/data';
import { encodePng } from '@seqlab/data/node';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../src/commands';
import { examplesOf } from '../src/help';
import { exampleArgv } from './examples';
import { seqlab } from './run-cli';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-json-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Hyp {
  text: string;
  score: number;
}

/** Parse JSON Lines: every line of stdout one object, nothing else on it. */
function jsonLines(stdout: string): Record<string, unknown>[] {
  expect(stdout.endsWith('\n'), 'stdout ends with a newline').toBe(true);
  return stdout
    .slice(0, -1)
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function expectNBest(list: unknown, n: number, best: Hyp): void {
  const hyps = list as Hyp[];
  expect(hyps).toHaveLength(n);
  for (const h of hyps) {
    expect(Object.keys(h).sort()).toEqual(['score', 'text']);
    expect(typeof h.text).toBe('string');
    expect(Number.isFinite(h.score) && h.score <= 0, `score ${h.score}`).toBe(true);
  }
  expect(hyps[0]).toEqual(best);
  for (let i = 1; i < hyps.length; i++)
    expect((hyps[i] as Hyp).score).toBeLessThanOrEqual((hyps[i - 1] as Hyp).score);
  expect(new Set(hyps.map((h) => h.text)).size, 'n-best texts are distinct').toBe(n);
}

/** Rows are distributions over the columns (to the 4 printed decimals). */
function expectWeights(w: unknown, rows: number, cols: number): void {
  const m = w as number[][];
  expect(m).toHaveLength(rows);
  for (const row of m) {
    expect(row).toHaveLength(cols);
    for (const v of row) expect(v >= 0 && v <= 1, `weight ${v}`).toBe(true);
    expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(cols * 1e-4 + 1e-9);
  }
}

describe('translate --json (translate-en-es, translate-en-fr)', () => {
  it('the --help example: n_best of 2 from a beam of 4, and the attention matrix over the tokens', async () => {
    const root = new Command();
    registerCommands(root);
    const cmd = root.commands.find((c) => c.name() === 'translate') as Command;
    const example = examplesOf(cmd).find((l) => l.includes('--attention')) as string;
    expect(example).toBe(
      'pnpm seqlab translate --model translate-en-fr --beam 4 --json --n-best 2 --attention "Open the file"',
    );
    const r = await seqlab(exampleArgv(example));
    expect(r.code, r.stderr).toBe(0);
    const [j, ...more] = jsonLines(r.stdout);
    expect(more).toEqual([]);
    const o = j as Record<string, unknown>;
    expect(Object.keys(o).sort()).toEqual(
      ['attention', 'input', 'n_best', 'placeholders', 'score', 'text'].sort(),
    );
    expect(o.input).toBe('Open the file');
    expect(o.text).toMatch(/fichier/i);
    expectNBest(o.n_best, 2, { text: o.text as string, score: o.score as number });
    const a = o.attention as Record<string, string[]>;
    expect(Object.keys(a).sort()).toEqual(['source_tokens', 'target_tokens', 'weights']);
    expect(a.source_tokens?.join('')).toBe('Open the file');
    expect(a.target_tokens?.join('').trim()).toBe(o.text);
    expectWeights(a.weights, a.target_tokens?.length ?? -1, a.source_tokens?.length ?? -1);
  }, 60_000);

  it('stdin: one JSON line per input line, in order, numbered; n_best defaults to the beam; a placeholder kept', async () => {
    const r = await seqlab(
      ['translate', '--model', 'translate-en-es', '--beam', '3', '--json'],
      'Save the file as %s\nQuit\nOpen the file\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = jsonLines(r.stdout);
    expect(lines.map((l) => [l.line, l.input])).toEqual([
      [1, 'Save the file as %s'],
      [2, 'Quit'],
      [3, 'Open the file'],
    ]);
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(
        ['input', 'line', 'n_best', 'placeholders', 'score', 'text'].sort(),
      );
      expectNBest(l.n_best, 3, { text: l.text as string, score: l.score as number });
    }
    expect(lines[0]?.placeholders).toEqual(['%s']);
    expect(lines[0]?.text).toContain('%s');
    // The plain output is the same best translations, one line each.
    const plain = await seqlab(
      ['translate', '--model', 'translate-en-es', '--beam', '3'],
      'Save the file as %s\nQuit\nOpen the file\n',
    );
    expect(plain.stdout).toBe(`${lines.map((l) => l.text).join('\n')}\n`);
  }, 60_000);

  it('a line that cannot be translated is a record with its error, in its place', async () => {
    const r = await seqlab(
      ['translate', '--model', 'translate-en-es', '--json'],
      Buffer.concat([
        Buffer.from('Quit\n'),
        Buffer.from([0x41, 0xff, 0x0a]),
        Buffer.from('Quit\n'),
      ]),
    );
    expect(r.code).toBe(1);
    const lines = jsonLines(r.stdout);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toEqual({
      line: 2,
      input: null,
      error: expect.stringContaining('not valid UTF-8'),
    });
    expect(lines[2]?.text).toBe(lines[0]?.text);
    expect(r.stderr).toContain('seqlab translate: stdin:2: not valid UTF-8');
  }, 60_000);

  it('flags that need each other are usage errors (2), said before the model loads', async () => {
    const cases: [string[], string][] = [
      [['--beam', '2', '--json', '--n-best', '3'], '--n-best (3) must not exceed --beam (2)'],
      [['--n-best', '1'], '--n-best needs --json'],
      [['--attention'], '--attention needs --json'],
    ];
    for (const [flags, msg] of cases) {
      const r = await seqlab(['translate', '--model', 'no-such-model', ...flags, 'hi']);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toContain(msg);
      expect(r.stderr).not.toContain('no-such-model');
      expect(r.stdout).toBe('');
    }
  }, 60_000);
});

describe('caption --json (caption-shapes)', () => {
  it('one object per image: text, score, n_best, attention over the grid; a broken file is a record with its error', async () => {
    const img = join(tmp, 'scene.png');
    await writeFile(img, encodePng(generateScene({ seed: 1, split: 'test', index: 0 })));
    const broken = join(tmp, 'broken.png');
    await writeFile(broken, 'not a png');
    const r = await seqlab([
      'caption',
      '--model',
      'caption-shapes',
      '--beam',
      '3',
      '--json',
      '--n-best',
      '2',
      '--attention',
      img,
      broken,
    ]);
    expect(r.code).toBe(1);
    const [good, bad, ...more] = jsonLines(r.stdout);
    expect(more).toEqual([]);
    const g = good as Record<string, unknown>;
    expect(Object.keys(g).sort()).toEqual(['attention', 'file', 'n_best', 'score', 'text']);
    expect(g.file).toBe(img);
    expect(g.text).toMatch(/^a (small|large) /);
    expectNBest(g.n_best, 2, { text: g.text as string, score: g.score as number });
    const a = g.attention as { tokens: string[]; grid_size: [number, number]; weights: number[][] };
    expect(Object.keys(a).sort()).toEqual(['grid_size', 'tokens', 'weights']);
    expect(a.tokens.join(' ')).toBe(g.text);
    expect(a.grid_size).toHaveLength(2);
    expectWeights(a.weights, a.tokens.length, a.grid_size[0] * a.grid_size[1]);
    expect(bad).toEqual({ file: broken, error: expect.stringContaining('not a PNG or JPEG') });
    expect(r.stderr).toContain(`seqlab caption: ${broken}: not a PNG or JPEG`);
  }, 60_000);
});
