// End-to-end: `seqlab train translate --engine kernels` trains on @seqlab/kernels' multi-core
// WebAssembly step: interrupted and resumed on another thread count, the same weights as one
// straight run, a loadable model folder, and a card that names the trainer and reports the
// held-out applications (dev-apps chooses checkpoints, test-apps is scored).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '@seqlab/models/node';
import { initBackend } from '@seqlab/rnn';
import { averageWeights, readSnapshot, snapshotSteps } from '@seqlab/train/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyKernelsConfig, writeTinyCorpus } from './fixtures/tiny-corpus';
import { seqlab } from './run-cli';

let tmp = '';
beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-train-kernels-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A tiny translate config for the kernels (dot attention, no input feeding, widths of 4). */
async function config(
  name: string,
  corpus: string,
  extra: Record<string, unknown> = {},
  model: Record<string, unknown> = {},
): Promise<{ file: string; out: string }> {
  const file = join(tmp, `${name}.json`);
  const out = join(tmp, `${name}-out`);
  await writeFile(
    file,
    JSON.stringify({ ...tinyKernelsConfig(name, corpus, tmp, model), ...extra }),
  );
  return { file, out };
}

/** The float32 weights of a model folder, shard bytes concatenated in manifest order. */
async function shardBytes(dir: string): Promise<Buffer> {
  const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
    weightsManifest: { paths: string[] }[];
  };
  const parts = json.weightsManifest.flatMap((g) => g.paths);
  return Buffer.concat(await Promise.all(parts.map((p) => readFile(join(dir, p)))));
}

let base = ''; // the straight run's model folder, fine-tuned by the second test

describe('seqlab train translate --engine kernels', () => {
  it('trains, resumes on another thread count to the straight run’s weights, and names the trainer', async () => {
    const corpus = join(tmp, 'corpus');
    await writeTinyCorpus(corpus, true); // dev-apps chooses checkpoints, test-apps is scored

    const straight = await config('straight', corpus);
    const a = await seqlab([
      'train',
      'translate',
      '--config',
      straight.file,
      '--engine',
      'kernels',
      '--threads',
      '2',
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(/trainer: seqlab kernels .*2 threads/);

    const split = await config('split', corpus);
    const b1 = await seqlab([
      'train',
      'translate',
      '--config',
      split.file,
      '--engine',
      'kernels',
      '--threads',
      '2',
      '--max-steps',
      '4',
    ]);
    expect(b1.code, b1.stderr).toBe(0);
    const b2 = await seqlab([
      'train',
      'translate',
      '--config',
      split.file,
      '--engine',
      'kernels',
      '--threads',
      '1',
      '--resume',
    ]);
    expect(b2.code, b2.stderr).toBe(0);
    expect(b2.stderr).toMatch(/resumed at step 4/);

    // float32 folders: the same bytes mean the same weights (results do not depend on threads).
    expect((await shardBytes(split.out)).equals(await shardBytes(straight.out))).toBe(true);
    base = straight.out;
    const card = await readFile(join(straight.out, 'card.md'), 'utf8');
    expect(card).toMatch(/trainer: seqlab kernels/);
    expect(card).toMatch(/--engine kernels --threads 2 --max-steps 8/); // the command reproduces the run
    expect(card).toMatch(/2 dev-apps \(chose checkpoints\), 2 test, 2 test-apps/);
    expect(card).toMatch(/test_apps_bleu_beam4/);
    expect(card).toMatch(/dev_apps_bleu_best/);
    const m = await load(straight.out);
    if (m.task !== 'translate') throw new Error(`expected a translate model, got ${m.task}`);
    expect(typeof (await m.translate('Open the file')).text).toBe('string');
    m.dispose();

    const bad = await seqlab(['train', 'translate', '--config', straight.file, '--threads', '2']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads applies to --engine kernels only/);
  });

  it('fine-tunes from a model folder (config init): its tokenizer and weights, same architecture only', async () => {
    expect(base, 'the first test trains the base model').not.toBe('');
    const corpus = join(tmp, 'corpus');
    const kernels = ['--engine', 'kernels', '--threads', '1'];
    // A learning rate of 1e-9 barely moves the weights: the output is the base model's.
    const ft = await config('ft', corpus, {
      init: base,
      initCommand: 'pnpm seqlab train translate --config base.json --max-steps 8',
      lr: 1e-9,
      keepBest: false,
      seed: 2,
    });
    const r = await seqlab([
      'train',
      'translate',
      '--config',
      ft.file,
      ...kernels,
      '--max-steps',
      '2',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const f32 = (b: Buffer) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const before = f32(await shardBytes(base));
    const after = f32(await shardBytes(ft.out));
    expect(after.length).toBe(before.length);
    let worst = 0;
    for (let i = 0; i < before.length; i++)
      worst = Math.max(worst, Math.abs((after[i] as number) - (before[i] as number)));
    expect(worst).toBeLessThan(1e-6);
    // Without init the same run starts from fresh weights, far from the base model's.
    const fresh = await config('fresh', corpus, { lr: 1e-9, keepBest: false, seed: 2 });
    const f = await seqlab([
      'train',
      'translate',
      '--config',
      fresh.file,
      ...kernels,
      '--max-steps',
      '2',
    ]);
    expect(f.code, f.stderr).toBe(0);
    const other = f32(await shardBytes(fresh.out));
    let far = 0;
    for (let i = 0; i < before.length; i++)
      far = Math.max(far, Math.abs((other[i] as number) - (before[i] as number)));
    expect(far).toBeGreaterThan(1e-2);

    expect(await readFile(join(ft.out, 'tokenizer.json'), 'utf8')).toBe(
      await readFile(join(base, 'tokenizer.json'), 'utf8'),
    );
    const card = await readFile(join(ft.out, 'card.md'), 'utf8');
    expect(card).toMatch(
      /Fine-tuned from the weights and tokenizer of `[^`]*straight-out` \(trained by the first command below\)/,
    );
    expect(card).toMatch(
      /pnpm seqlab train translate --config base\.json --max-steps 8\n.*--engine kernels --threads 1 --max-steps 2/,
    );

    // Another architecture is refused, naming what differs; nothing is written.
    const wide = await config('wide', corpus, { init: base }, { hidden: 12 });
    const w = await seqlab([
      'train',
      'translate',
      '--config',
      wide.file,
      ...kernels,
      '--max-steps',
      '2',
    ]);
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/another architecture than this run: hidden 8 there, 12 here/);
  });
  it('trains on a hand-made corpus without manifest.json (the card says so); a malformed one is refused before training', async () => {
    const corpus = join(tmp, 'hand-made');
    await writeTinyCorpus(corpus);
    await rm(join(corpus, 'manifest.json'));
    const c = await config('hand', corpus);
    const kernels = ['--engine', 'kernels', '--threads', '1', '--max-steps', '2'];
    const r = await seqlab(['train', 'translate', '--config', c.file, ...kernels]);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(c.out, 'card.md'), 'utf8')).toMatch(
      /the sentence pairs of .*hand-made\/en-es \(a corpus without manifest\.json/,
    );
    await writeFile(join(corpus, 'manifest.json'), '{"packages": [');
    const bad = await config('hand-bad', corpus);
    const b = await seqlab(['train', 'translate', '--config', bad.file, ...kernels]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/manifest\.json: malformed JSON .* or no manifest\.json at all/);
    expect(b.stderr).not.toMatch(/step 1\//); // refused before any step
  });
  it('BPE-dropout (bpeDropout): resumes mid-epoch to the straight run’s weights, differs from the run without, and the card says so; the torch engine refuses it', async () => {
    expect(base, 'the first test trains the run without dropout').not.toBe('');
    const corpus = join(tmp, 'corpus');
    const kernels = ['--engine', 'kernels', '--threads', '1'];
    const straight = await config('drop', corpus, { bpeDropout: 0.5 });
    const a = await seqlab(['train', 'translate', '--config', straight.file, ...kernels]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stderr).toMatch(
      /BPE-dropout 0\.5: target tokens per pair [\d.]+ sampled vs [\d.]+ deterministic/,
    );
    // Stopped in the second epoch (4 batches an epoch), resumed on another thread count.
    const split = await config('drop-split', corpus, { bpeDropout: 0.5 });
    const train = (file: string, ...flags: string[]) =>
      seqlab(['train', 'translate', '--config', file, '--engine', 'kernels', ...flags]);
    const b1 = await train(split.file, '--threads', '1', '--max-steps', '6');
    expect(b1.code, b1.stderr).toBe(0);
    const b2 = await train(split.file, '--threads', '2', '--resume');
    expect(b2.code, b2.stderr).toBe(0);
    expect(b2.stderr).toMatch(/resumed at step 6/);
    const weights = await shardBytes(straight.out);
    expect((await shardBytes(split.out)).equals(weights)).toBe(true);
    // The same run without dropout (the first test's) ends elsewhere: the samples were trained on.
    expect(weights.equals(await shardBytes(base))).toBe(false);
    expect(await readFile(join(straight.out, 'card.md'), 'utf8')).toMatch(
      /BPE-dropout 0\.5 while training: every epoch both sides were segmented anew/,
    );

    const torch = await config('drop-torch', corpus, { bpeDropout: 0.5 });
    const t = await seqlab(['train', 'translate', '--config', torch.file, '--engine', 'torch']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(
      /bpeDropout 0\.5 needs a trainer that resamples .* Use --engine kernels or tfjs/,
    );
  });
  it('averages the last checkpoints (averageLast): the mean replaces the weights only when it validates better', async () => {
    const corpus = join(tmp, 'avg-corpus');
    await writeTinyCorpus(corpus, true);
    // 8 steps, a checkpoint every 2; keepBest false, so the mean is weighed against the last step.
    const c = await config('avg', corpus, { averageLast: 2, keepBest: false, lengthPenalty: 1.5 });
    const r = await seqlab([
      'train',
      'translate',
      '--config',
      c.file,
      '--engine',
      'kernels',
      '--threads',
      '1',
    ]);
    expect(r.code, r.stderr).toBe(0);
    const snaps = join(tmp, 'avg-run', 'snapshots');
    expect(snapshotSteps(snaps)).toEqual([6, 8]);
    const kept = /averaged_kept \| (\d)/.exec(await readFile(join(c.out, 'card.md'), 'utf8'))?.[1];
    expect(kept === '0' || kept === '1', 'the card reports the decision').toBe(true);
    expect(r.stderr).toMatch(/mean of the checkpoints at steps 6, 8: .*(kept|not kept)/);
    const f32 = (b: Buffer) => new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
    const shipped = f32(await shardBytes(c.out));
    const mean = averageWeights([readSnapshot(snaps, 6), readSnapshot(snaps, 8)]);
    const last = readSnapshot(snaps, 8);
    // The shipped weights are the mean (kept) or the last step's (not kept), in the model's order.
    const want = kept === '1' ? mean : last;
    const all = Object.values(want).reduce((n, w) => n + w.length, 0);
    expect(shipped.length).toBe(all);
    const sorted = (w: Record<string, Float32Array>) =>
      Object.values(w)
        .flatMap((a) => Array.from(a))
        .sort((a, b) => a - b);
    expect(Array.from(shipped).sort((a, b) => a - b)).toEqual(sorted(want));
    expect(sorted(mean)).not.toEqual(sorted(last));
    // The config's length penalty ships in model.json and is the loaded pipeline's default.
    const m = await load(c.out);
    if (m.task !== 'translate') throw new Error(`expected a translate model, got ${m.task}`);
    expect(m.lengthPenalty).toBe(1.5);
    m.dispose();
    expect(await readFile(join(c.out, 'card.md'), 'utf8')).toMatch(
      /Beam search length penalty α = 1\.5 \(model\.json settings\.lengthPenalty/,
    );
  });
});
