// End-to-end: the `seqlab` binary on tiny inputs — data shapes, caption with a broken image, translate from stdin, eval JSON.

import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@seqlab/data/node';
import { initBackend } from '@seqlab/rnn';
import { corpusBleu, corpusChrf } from '@seqlab/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apertiumMode } from '../src/commands/eval';
import { writeTinyModels } from './fixtures/tiny-models';
import { seqlab } from './run-cli';

let tmp = '';
let translateDir = '';
let captionDir = '';

beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-cli-'));
  ({ translateDir, captionDir } = await writeTinyModels(tmp));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Two decimals, as `eval` prints its scores. */
function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

describe('seqlab CLI', () => {
  it('data shapes writes PNGs and a captions.tsv that names them', async () => {
    const out = join(tmp, 'shapes');
    const r = await seqlab(['data', 'shapes', '--out', out, '--count', '3', '--seed', '4']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/wrote 3 images/);
    const files = await readdir(out, { recursive: true });
    const pngs = files.filter((f) => f.endsWith('.png'));
    expect(pngs).toHaveLength(3);
    const tsv = (await readFile(join(out, 'captions.tsv'), 'utf8')).trim().split('\n');
    expect(tsv.length).toBeGreaterThanOrEqual(3);
    for (const line of tsv) {
      const [file, caption] = line.split('\t');
      expect(pngs).toContain(file);
      expect(caption).toMatch(/^a (small|large) /);
    }
    const bad = await seqlab(['data', 'shapes', '--out', out, '--count', '-1']);
    expect(bad.code).toBe(2); // a usage error
    expect(bad.stderr).toContain('--count expects an integer from 1 to 1000000; got "-1"');
  }, 60_000);

  it('caption: a broken image is reported with its path and exit code 1, the good ones are still captioned', async () => {
    const good1 = join(tmp, 'good1.png');
    const good2 = join(tmp, 'good2.png');
    const broken = join(tmp, 'broken.png');
    await writeFile(
      good1,
      encodePng({ width: 16, height: 16, data: new Uint8ClampedArray(1024).fill(220) }),
    );
    await writeFile(
      good2,
      encodePng({ width: 12, height: 8, data: new Uint8ClampedArray(384).fill(40) }),
    );
    await writeFile(broken, 'this is not a png\n');
    const r = await seqlab(['caption', '--model', captionDir, good1, broken, good2]);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('\t')[0])).toEqual([good1, good2]);
    expect(r.stderr).toContain(`seqlab caption: ${broken}: not a PNG or JPEG image`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 60_000);

  it('caption --closed: only known captions with a captions.json, a clear error without one', async () => {
    const img = join(tmp, 'closed.png');
    await writeFile(
      img,
      encodePng({ width: 16, height: 16, data: new Uint8ClampedArray(1024).fill(90) }),
    );
    const without = await seqlab(['caption', '--closed', '--model', captionDir, img]);
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/closed: true needs the captions the model was trained on/);
    // The same model with a list of known captions.
    const dir = join(tmp, 'caption-closed');
    await cp(captionDir, dir, { recursive: true });
    const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    json.userDefinedMetadata.files.captions = 'captions.json';
    await writeFile(join(dir, 'model.json'), JSON.stringify(json));
    const known = ['a small red circle', 'a red circle'];
    await writeFile(join(dir, 'captions.json'), JSON.stringify(known));
    const r = await seqlab(['caption', '--closed', '--model', dir, img]);
    expect(r.code).toBe(0);
    expect(known).toContain(r.stdout.trim().split('\t')[1]);
  }, 60_000);

  it('translate --model DIR reads stdin lines and prints one line per input line', async () => {
    const r = await seqlab(
      ['translate', '--model', translateDir],
      'Open the file\n\nSave as %s\nQuit\n',
    );
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').slice(0, -1);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe('');
    expect(lines[2]).toContain('%s');
    const wrong = await seqlab(['translate', '--model', captionDir, 'hi']);
    expect(wrong.code).toBe(2); // a usage error: --model names the wrong kind of model
    expect(wrong.stderr).toMatch(/is a caption model; expected a translate model/);
  }, 60_000);

  it('eval translate --json prints one JSON line with bleu, chrf, n and ms_per_sentence', async () => {
    const test = join(tmp, 'test.tsv');
    await writeFile(
      test,
      'Open the file\tAbrir el archivo\nQuit\tSalir\nSave as %s\tGuardar como %s\n',
    );
    const r = await seqlab([
      'eval',
      'translate',
      '--model',
      translateDir,
      '--test',
      test,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0] as string);
    expect(j).toMatchObject({ n: 3 });
    for (const k of ['bleu', 'chrf', 'ms_per_sentence']) {
      expect(typeof j[k], k).toBe('number');
      expect(Number.isFinite(j[k]), k).toBe(true);
    }
    const missing = await seqlab([
      'eval',
      'translate',
      '--model',
      translateDir,
      '--test',
      join(tmp, 'nope.tsv'),
      '--json',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.tsv/);
  }, 60_000);

  it('eval translate --against: the baseline decoded on the same lines, with a paired bootstrap of the difference; --typos', async () => {
    const test = join(tmp, 'against.tsv');
    await writeFile(
      test,
      'Open the file\tAbrir el archivo\nQuit\tSalir\nSave as %s\tGuardar como %s\nClose\tCerrar\n',
    );
    const args = ['eval', 'translate', '--test', test, '--json', '--quiet'];
    const tiny = (...flags: string[]) => seqlab([...args, '--model', translateDir, ...flags]);
    const r = await tiny('--against', translateDir);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // A model against itself: the same score, no difference, never significant.
    expect(j.against).toEqual({
      model: translateDir,
      beam: 1,
      length_penalty: 0.6,
      copy: 'default',
      bleu: j.bleu,
      chrf: j.chrf,
    });
    expect(j.paired_bootstrap).toEqual({
      delta: 0,
      ci95: [0, 0],
      p_value: 1,
      samples: 1000,
      seed: 12345,
    });
    // --typos: the same lines with seeded typos in the sources; recorded in the result.
    const t = await tiny('--typos', '1');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({ typos: 1, n: 4 });
    // The α beam search used: the model's own unless --length-penalty sets one.
    expect(j.length_penalty).toBe(0.6);
    const lp = await tiny('--length-penalty', '1.5');
    expect(lp.code, lp.stderr).toBe(0);
    expect(JSON.parse(lp.stdout).length_penalty).toBe(1.5);
    expect(j.typos).toBeUndefined();
    // Two decodings of one model: the baseline's own beam and α, decoded exactly as a plain eval
    // with those flags decodes (the long-α beam scores differently from greedy on these lines).
    const beam4 = await tiny('--beam', '4', '--length-penalty', '5');
    expect(beam4.code, beam4.stderr).toBe(0);
    const b4 = JSON.parse(beam4.stdout);
    expect(b4.chrf).not.toBe(j.chrf);
    const two = await tiny(
      '--against',
      translateDir,
      '--against-beam',
      '4',
      '--against-length-penalty',
      '5',
    );
    expect(two.code, two.stderr).toBe(0);
    const tj = JSON.parse(two.stdout);
    expect(tj).toMatchObject({ beam: 1, length_penalty: 0.6, bleu: j.bleu, chrf: j.chrf });
    expect(tj.against).toEqual({
      model: translateDir,
      beam: 4,
      length_penalty: 5,
      copy: 'default',
      bleu: b4.bleu,
      chrf: b4.chrf,
    });
    expect(tj.paired_bootstrap.delta).toBeCloseTo(j.bleu - b4.bleu, 1);
    // The baseline's copied names: reported as parsed.
    const names = await tiny('--against', translateDir, '--against-copy', 'url,acronym');
    expect(names.code, names.stderr).toBe(0);
    expect(JSON.parse(names.stdout).against.copy).toEqual(['url', 'acronym']);
    // The baseline's flags need a baseline.
    const alone = await tiny('--against-beam', '4');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--against-beam 4 sets how the baseline decodes.*--against/);
    const cap = await tiny('--against', captionDir);
    expect(cap.code).toBe(2);
    expect(cap.stderr).toMatch(/--against .* is a caption model; expected a translate model/);
    const fr = await seqlab([
      ...args,
      '--model',
      'translate-en-es',
      '--against',
      'translate-en-fr',
    ]);
    expect(fr.code).toBe(2);
    expect(fr.stderr).toMatch(
      /translates into fr, --model translate-en-es into es; expected the same language pair/,
    );
  }, 60_000);

  it("eval translate --outputs writes every decoded line (and the baseline's) to a new JSON Lines file, never over an existing one", async () => {
    const test = join(tmp, 'outputs.tsv');
    const pairs = [
      ['Open the file', 'Abrir el archivo'],
      ['Quit', 'Salir'],
      ['Save as %s', 'Guardar como %s'],
    ] as const;
    await writeFile(test, pairs.map((p) => p.join('\t')).join('\n'));
    const out = join(tmp, 'outputs.jsonl');
    const args = ['eval', 'translate', '--model', translateDir, '--test', test, '--quiet'];
    const r = await seqlab([...args, '--against', translateDir, '--outputs', out]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.outputs).toBe(out);
    const text = await readFile(out, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.source, l.reference])).toEqual(pairs.map((p) => [...p]));
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3]);
    // The hypotheses are the ones scored: the corpus BLEU over them is the reported one.
    const hyps = lines.map((l) => l.hypothesis as string);
    expect(round2(corpusBleu(hyps, [pairs.map((p) => p[1])]).score)).toBe(j.bleu);
    // Each is what `seqlab translate` gives for that source, and the model against itself agrees.
    const one = await seqlab(['translate', '--model', translateDir, 'Quit']);
    expect(one.code, one.stderr).toBe(0);
    expect(lines[1].hypothesis).toBe(one.stdout.trim());
    for (const l of lines) {
      expect(l.against).toBe(l.hypothesis);
      expect(l.chrf).toBe(round2(corpusChrf([l.hypothesis], [[l.reference]])));
      expect(l.apertium).toBeUndefined();
    }
    // A second run to the same name is refused before decoding; the file is untouched.
    const again = await seqlab([...args, '--outputs', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--outputs .*outputs\.jsonl exists; expected a new file/);
    expect(await readFile(out, 'utf8')).toBe(text);
    const nowhere = await seqlab([...args, '--outputs', join(tmp, 'no-such-dir', 'o.jsonl')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/its folder .*no-such-dir does not exist/);
  }, 60_000);

  it("eval translate --apertium scores Apertium in the model's own pair, or null where it is not installed", async () => {
    const test = join(tmp, 'fr.tsv');
    await writeFile(test, 'Open the file\tOuvrir le fichier\nQuit\tQuitter\n');
    const r = await seqlab([
      'eval',
      'translate',
      '--model',
      'translate-en-fr',
      '--test',
      test,
      '--apertium',
      '--json',
      '--quiet',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    // Debian has no English→French Apertium pair: never eng-spa's Spanish scored against French.
    expect(j.apertium_mode).toBe('eng-fra');
    const listed = spawnSync('apertium', ['-l'], { encoding: 'utf8' }).stdout ?? '';
    if (!listed.includes('eng-fra')) {
      expect(j.apertium).toBeNull();
      expect(r.stderr).toMatch(/no eng-fra mode here/);
    }
    expect(apertiumMode('es')).toBe('eng-spa');
    expect(apertiumMode('de')).toBe('eng-deu');
  }, 60_000);
});
