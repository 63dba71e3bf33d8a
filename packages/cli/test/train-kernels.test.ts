// End-to-end: `seqlab train translate --engine kernels` trains on @seqlab/kernels' multi-core
// WebAssembly step: interrupted and resumed on another thread count, the same weights as one
// straight run, a loadable model folder, and a card that names the trainer and reports the
// held-out applications (dev-apps chooses checkpoints, test-apps is scored).
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from '@seqlab/models/node';
import { initBackend } from '@seqlab/rnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyCorpus } from './fixtures/tiny-corpus';
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
async function config(name: string, corpus: string): Promise<{ file: string; out: string }> {
  const file = join(tmp, `${name}.json`);
  const out = join(tmp, `${name}-out`);
  await writeFile(
    file,
    JSON.stringify({
      name,
      target: 'es',
      corpus,
      runDir: join(tmp, `${name}-run`),
      out,
      vocabSize: 304, // the kernels want vocabularies in multiples of 4
      maxTokens: 32,
      model: {
        embDim: 8,
        hidden: 8,
        encoderHidden: 4,
        attention: 'dot',
        inputFeeding: false,
        maxLen: 12,
      },
      batchSize: 2,
      epochs: 2, // 4 batches per epoch
      validSize: 2,
      lr: 0.01,
      clipNorm: 5,
      validateEvery: 2,
      checkpointEvery: 2,
      patience: 10,
      seed: 1,
      quantization: 'float32',
    }),
  );
  return { file, out };
}

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
    const shards = async (dir: string) => {
      const json = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')) as {
        weightsManifest: { paths: string[] }[];
      };
      const parts = json.weightsManifest.flatMap((g) => g.paths);
      return Buffer.concat(await Promise.all(parts.map((p) => readFile(join(dir, p)))));
    };
    expect((await shards(split.out)).equals(await shards(straight.out))).toBe(true);
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
});
