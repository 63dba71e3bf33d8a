// End-to-end: `seqlab train caption|translate` on tiny configs, interrupted and resumed: the
// model folder loads and runs, and its card keeps the validation history of every run.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScene } from '@seqlab/data';
import { load } from '@seqlab/models/node';
import { initBackend } from '@seqlab/rnn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seqlab } from './run-cli';

let tmp = '';

/** The rows of the card's "Validation during training" table, as steps. */
function historySteps(card: string): number[] {
  const part = card.split('## Validation during training')[1]?.split('\n## ')[0] ?? '';
  return [...part.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
}

const loop = {
  lr: 0.01,
  clipNorm: 5,
  validateEvery: 2,
  checkpointEvery: 2,
  patience: 10,
  seed: 1,
  quantization: 'float16',
};

beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-train-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('seqlab train', () => {
  it('caption (Shapes, position-aware): stops at --max-steps, resumes, keeps the whole history, writes a loadable model', async () => {
    const cfgFile = join(tmp, 'caption.json');
    const out = join(tmp, 'caption-out');
    await writeFile(
      cfgFile,
      JSON.stringify({
        ...loop,
        name: 'caption-tiny',
        dataset: { kind: 'shapes', seed: 1, batchesPerEpoch: 3, testSize: 4 },
        runDir: join(tmp, 'caption-run'),
        out,
        model: {
          imageSize: 16,
          channels: [4],
          strides: [4],
          convsPerBlock: 1,
          embDim: 4,
          hidden: 8,
          attention: 'additive',
          attentionDim: 4,
          maxLen: 8,
          positional: 'coords',
        },
        batchSize: 4,
        epochs: 2,
        validSize: 4,
      }),
    );
    const first = await seqlab(['train', 'caption', '--config', cfgFile, '--max-steps', '4']);
    expect(first.code, first.stderr).toBe(0);
    expect(historySteps(await readFile(join(out, 'card.md'), 'utf8'))).toEqual([2, 4]);
    const second = await seqlab(['train', 'caption', '--config', cfgFile, '--resume']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resumed at step 4/);
    const card = await readFile(join(out, 'card.md'), 'utf8');
    expect(historySteps(card)).toEqual([2, 4, 6]); // 2 epochs × 3 batches
    expect(card).toMatch(/\| steps \| 6 \|/);
    expect(card).toMatch(/"positional": "coords"/);
    const m = await load(out);
    if (m.task !== 'caption') throw new Error(`expected a caption model, got ${m.task}`);
    const s = generateScene({ seed: 1, split: 'test', index: 0 });
    const r = await m.caption({ width: s.width, height: s.height, data: s.data });
    expect(r.attention.length).toBe(r.tokens.length);
    m.dispose();

    // Fine-tuning: initFrom starts from the saved weights (a near-zero learning rate keeps them;
    // only batch norm's moving statistics move a little), and refuses a different architecture.
    const base = JSON.parse(await readFile(cfgFile, 'utf8'));
    const tuneFile = join(tmp, 'caption-tune.json');
    const tunedOut = join(tmp, 'caption-tuned');
    await writeFile(
      tuneFile,
      JSON.stringify({
        ...base,
        runDir: join(tmp, 'caption-tune-run'),
        out: tunedOut,
        initFrom: out,
        initFromCommand:
          'pnpm seqlab train caption --config configs/caption-tiny-base.json --max-steps 4',
        lr: 1e-9,
        model: { ...base.model, wordDropout: 0.3 },
      }),
    );
    const tune = await seqlab(['train', 'caption', '--config', tuneFile, '--max-steps', '1']);
    expect(tune.code, tune.stderr).toBe(0);
    const tuned = await load(tunedOut);
    if (tuned.task !== 'caption') throw new Error(`expected a caption model, got ${tuned.task}`);
    const r2 = await tuned.caption({ width: s.width, height: s.height, data: s.data });
    expect(r2.text).toBe(r.text);
    expect(r2.score).toBeCloseTo(r.score, 1);
    tuned.dispose();
    const tunedCard = await readFile(join(tunedOut, 'card.md'), 'utf8');
    expect(tunedCard).toMatch(
      /Fine-tuned from the weights in `.*caption-out` \(trained by the first command below\)/,
    );
    expect(tunedCard).toMatch(
      /```\nbash scripts\/setup.sh\npnpm seqlab train caption --config configs\/caption-tiny-base.json --max-steps 4\npnpm seqlab train caption --config /,
    );
    await writeFile(
      tuneFile,
      JSON.stringify({
        ...base,
        runDir: join(tmp, 'caption-tune-run2'),
        out: tunedOut,
        initFrom: out,
        model: { ...base.model, hidden: 6 },
      }),
    );
    const bad = await seqlab(['train', 'caption', '--config', tuneFile, '--max-steps', '1']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(
      /initFrom .*model\.json: its model config .* differs from this run's/,
    );
  });

  it('translate: tiny corpus, resumed, history kept, model translates', async () => {
    const corpus = join(tmp, 'corpus');
    await mkdir(join(corpus, 'en-es'), { recursive: true });
    const pairs = [
      ['Open the file', 'Abrir el archivo'],
      ['Save the file', 'Guardar el archivo'],
      ['Close the window', 'Cerrar la ventana'],
      ['Open the window', 'Abrir la ventana'],
      ['Save as %s', 'Guardar como %s'],
      ['Quit', 'Salir'],
      ['Print %d pages', 'Imprimir %d páginas'],
      ['Delete the file', 'Eliminar el archivo'],
    ];
    const tsv = (ps: string[][]) => `${ps.map((p) => p.join('\t')).join('\n')}\n`;
    await writeFile(join(corpus, 'en-es', 'train.tsv'), tsv(pairs));
    await writeFile(join(corpus, 'en-es', 'valid.tsv'), tsv(pairs.slice(0, 2)));
    await writeFile(join(corpus, 'en-es', 'test.tsv'), tsv(pairs.slice(2, 4)));
    await writeFile(
      join(corpus, 'manifest.json'),
      JSON.stringify({ packages: [{ name: 'x', version: '1' }] }),
    );
    const cfgFile = join(tmp, 'translate.json');
    const out = join(tmp, 'translate-out');
    await writeFile(
      cfgFile,
      JSON.stringify({
        ...loop,
        name: 'translate-tiny',
        target: 'es',
        corpus,
        runDir: join(tmp, 'translate-run'),
        out,
        vocabSize: 300,
        maxTokens: 32,
        model: { embDim: 8, hidden: 8, encoderHidden: 4, attentionDim: 8, maxLen: 12 },
        batchSize: 2,
        epochs: 2, // 4 batches per epoch
        validSize: 2,
      }),
    );
    const first = await seqlab(['train', 'translate', '--config', cfgFile, '--max-steps', '4']);
    expect(first.code, first.stderr).toBe(0);
    const second = await seqlab(['train', 'translate', '--config', cfgFile, '--resume']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(/resumed at step 4/);
    const card = await readFile(join(out, 'card.md'), 'utf8');
    expect(historySteps(card)).toEqual([2, 4, 6, 8]);
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true);
    const m = await load(out);
    if (m.task !== 'translate') throw new Error(`expected a translate model, got ${m.task}`);
    expect(typeof (await m.translate('Open the file')).text).toBe('string');
    m.dispose();
  });
});
