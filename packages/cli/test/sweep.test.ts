// End-to-end: `seqlab sweep translate` trains each variant of a config on the same budget,
// scores it on the held-out applications through the shipped pipeline (the same numbers as
// `seqlab eval`), refuses variants over the size budget before training them, resumes, and never
// reuses a folder planned for something else.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyKernelsConfig, writeTinyCorpus } from './fixtures/tiny-corpus';
import { seqlab } from './run-cli';

let tmp = '';
let corpus = '';
let base = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-sweep-'));
  corpus = join(tmp, 'corpus');
  await writeTinyCorpus(corpus, true);
  base = join(tmp, 'base.json');
  // The variants write under the sweep's folder, whatever runDir and out the base names.
  await writeFile(base, JSON.stringify(tinyKernelsConfig('sweep-tiny', corpus, tmp)));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

interface Row {
  name: string;
  status: string;
  params: number;
  weight_mb: number;
  steps?: number;
  dev_bleu?: number;
  dev_n?: number;
  greedy_ms?: number;
  within_budget?: boolean;
}

const grid = async (name: string, variants: unknown) => {
  const f = join(tmp, name);
  await writeFile(f, JSON.stringify({ variants }));
  return f;
};

describe('seqlab sweep translate', () => {
  it('trains each variant on the same budget, scores it like seqlab eval, skips the over-budget one, resumes', async () => {
    const g = await grid('grid.json', [
      { name: 'base', set: {} },
      { name: 'wide', set: { model: { hidden: 12 }, lr: 0.02 } },
      { name: 'huge', set: { model: { embDim: 256, hidden: 256 } } },
    ]);
    const out = join(tmp, 'sweep');
    const args = [
      'sweep',
      'translate',
      '--config',
      base,
      '--grid',
      g,
      '--out',
      out,
      '--max-steps',
      '2',
      '--threads',
      '1',
      '--budget-mb',
      '1',
      '--rounds',
      '1',
      '--latency-ms',
      '10000',
    ];
    // --dry-run prices every variant and writes nothing.
    const dry = await seqlab([...args, '--dry-run', '--json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(
      (JSON.parse(dry.stdout).variants as Row[]).map((v) => [v.name, v.within_budget]),
    ).toEqual([
      ['base', true],
      ['wide', true],
      ['huge', false],
    ]);
    expect(existsSync(out)).toBe(false);

    const r = await seqlab(args);
    expect(r.code, r.stderr).toBe(0);
    const sweep = JSON.parse(await readFile(join(out, 'sweep.json'), 'utf8')) as {
      chosen: string;
      variants: Row[];
    };
    const byName = (n: string): Row => {
      const r = sweep.variants.find((v) => v.name === n);
      if (!r) throw new Error(`no row ${n}`);
      return r;
    };
    const [b, w, h] = [byName('base'), byName('wide'), byName('huge')];
    expect(b.status).toBe('done');
    expect(w.status).toBe('done');
    expect(w.params).toBeGreaterThan(b.params);
    for (const v of [b, w]) {
      expect(v.steps).toBe(2);
      expect(v.dev_n).toBe(2); // the tiny corpus's whole dev-apps.tsv
      expect(v.greedy_ms).toBeGreaterThan(0);
      expect(v.within_budget).toBe(true);
    }
    // Over the size budget: priced, never trained.
    expect(h.status).toBe('over-budget');
    expect(h.weight_mb).toBeGreaterThan(1);
    expect(existsSync(join(out, 'huge', 'run'))).toBe(false);
    expect(sweep.chosen).toBe((b.dev_bleu ?? 0) >= (w.dev_bleu ?? 0) ? 'base' : 'wide');
    // The variant's config is the base with its fields set, in its own folder.
    const wideCfg = JSON.parse(await readFile(join(out, 'wide', 'config.json'), 'utf8')) as {
      lr: number;
      model: { hidden: number; embDim: number };
      out: string;
      testSize: number;
    };
    expect(wideCfg.lr).toBe(0.02);
    expect(wideCfg.testSize).toBe(200); // --test-size's default, on every variant
    expect(wideCfg.model).toMatchObject({ hidden: 12, embDim: 8 });
    expect(wideCfg.out).toBe(join(out, 'wide', 'model'));
    // wide has base's corpus and vocabulary size: it took base's tokenizer, not trained one.
    expect(await readFile(join(out, 'wide', 'run', 'tokenizer.json'), 'utf8')).toBe(
      await readFile(join(out, 'base', 'run', 'tokenizer.json'), 'utf8'),
    );
    expect(r.stderr).toMatch(/wide: the tokenizer of base/);
    expect(r.stderr.match(/^tokenizer: \d+ pieces/gm)).toHaveLength(1);
    // The dev score is seqlab eval's on the same folder.
    const e = await seqlab([
      'eval',
      'translate',
      '--model',
      join(out, 'wide', 'model'),
      '--test',
      join(corpus, 'en-es', 'dev-apps.tsv'),
      '--json',
      '--quiet',
    ]);
    expect(JSON.parse(e.stdout).bleu).toBe(w.dev_bleu);
    expect(await readFile(join(out, 'sweep.md'), 'utf8')).toMatch(
      /\| huge \| .* \| over-budget \|/,
    );

    // Again: every variant was measured, nothing trains, the same rows come back.
    const again = await seqlab([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).variants).toEqual(sweep.variants);

    // Interrupted after its checkpoint, before its result: the variant resumes (to the same
    // step, so the same weights and the same score), the others are kept.
    await rm(join(out, 'wide', 'result.json'));
    const resumed = await seqlab([...args, '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resumed at step 2\b/);
    const row = (JSON.parse(resumed.stdout).variants as Row[]).find((v) => v.name === 'wide');
    expect({ ...row, greedy_ms: 0 }).toEqual({ ...w, greedy_ms: 0 });

    // A folder planned for another config is refused, and nothing in it changes.
    const changed = await grid('grid2.json', [{ name: 'wide', set: { model: { hidden: 16 } } }]);
    const before = await readFile(join(out, 'wide', 'result.json'), 'utf8');
    const refused = await seqlab([...args.slice(0, 5), changed, ...args.slice(6)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/wide\/plan\.json holds another plan .* nothing is overwritten/);
    expect(await readFile(join(out, 'wide', 'result.json'), 'utf8')).toBe(before);
  });

  it('checks every variant before training any, and wants exactly one budget', async () => {
    const out = join(tmp, 'bad');
    const g = await grid('bad.json', [
      { name: 'ok', set: {} },
      { name: 'typo', set: { model: { hiden: 12 } } },
    ]);
    const r = await seqlab([
      'sweep',
      'translate',
      '--config',
      base,
      '--grid',
      g,
      '--out',
      out,
      '--max-steps',
      '2',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/variant 'typo'.*\n.*model\.hiden: unknown key/);
    expect(existsSync(out) ? await readdir(out) : []).toEqual([]);

    const dup = await grid('dup.json', [
      { name: 'a', set: {} },
      { name: 'A', set: { lr: 0.1 } },
    ]);
    const d = await seqlab([
      'sweep',
      'translate',
      '--config',
      base,
      '--grid',
      dup,
      '--out',
      out,
      '--minutes',
      '1',
    ]);
    expect(d.code).toBe(1);
    expect(d.stderr).toMatch(/variant name 'A' appears twice/);

    const bad = await grid('bad-name.json', [{ name: '../x', set: {} }]);
    const n = await seqlab([
      'sweep',
      'translate',
      '--config',
      base,
      '--grid',
      bad,
      '--out',
      out,
      '--minutes',
      '1',
    ]);
    expect(n.code).toBe(1);
    expect(n.stderr).toMatch(/variants\.0\.name: expected a folder-safe name/);

    const none = await seqlab(['sweep', 'translate', '--config', base, '--grid', g, '--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/exactly one of --max-steps N or --minutes M/);
  });
});
