// End-to-end: `seqlab train caption|translate` on tiny configs, interrupted and resumed: the
// model folder loads and runs, and its card keeps the validation history of every run.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScene } from '@seqlab/data';
import { encodePng } from '@seqlab/data/node';
import { load } from '@seqlab/models/node';
import { initBackend } from '@seqlab/rnn';
import { sourceWords } from '@seqlab/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyCorpus } from './fixtures/tiny-corpus';
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
      /config 'initFrom': .*model\.json has another architecture than this run: hidden \d+ there, 6 here \(only wordDropout, seed may differ\)/,
    );
  });

  it('caption (image folders, augmented, length buckets): writes the known captions and closed-set metrics', async () => {
    const colours: [string, number[]][] = [
      ['a red square', [220, 30, 30]],
      ['a blue square', [30, 60, 220]],
      ['a large green square', [30, 160, 60]],
    ];
    const folder = async (name: string, n: number) => {
      const dir = join(tmp, name);
      await mkdir(dir, { recursive: true });
      const lines: string[] = [];
      for (let i = 0; i < n; i++) {
        const [caption, rgb] = colours[i % colours.length] as [string, number[]];
        const data = new Uint8ClampedArray(64 * 64 * 4);
        for (let p = 0; p < 64 * 64; p++) {
          const x = p % 64;
          const y = Math.floor(p / 64);
          const inside = x >= 16 + i && x < 44 && y >= 16 && y < 44;
          data.set(inside ? [...rgb, 255] : [0, 0, 0, 0], p * 4);
        }
        await writeFile(join(dir, `${i}.png`), encodePng({ width: 64, height: 64, data }));
        lines.push(`${i}.png\t${caption}`);
      }
      await writeFile(join(dir, 'captions.tsv'), `${lines.join('\n')}\n`);
      return dir;
    };
    const cfgFile = join(tmp, 'folders.json');
    const out = join(tmp, 'folders-out');
    await writeFile(
      cfgFile,
      JSON.stringify({
        ...loop,
        name: 'folders-tiny',
        dataset: {
          kind: 'folders',
          train: [await folder('folders-train', 6)],
          test: [{ name: 'other', dir: await folder('folders-test', 3) }],
        },
        runDir: join(tmp, 'folders-run'),
        out,
        model: {
          imageSize: 16,
          channels: [4],
          strides: [4],
          embDim: 4,
          hidden: 8,
          attentionDim: 4,
          maxLen: 6,
        },
        batchSize: 2,
        epochs: 2,
        validSize: 2,
        maxShift: 2,
        augment: { scale: [0.8, 1], outline: 0.5 },
        lengthBuckets: 2,
      }),
    );
    const r = await seqlab(['train', 'caption', '--config', cfgFile]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/other \(closed set\): exact [\d.]+ BLEU-4/);
    const known = JSON.parse(await readFile(join(out, 'captions.json'), 'utf8'));
    expect(known).toEqual(['a blue square', 'a large green square', 'a red square']);
    const card = await readFile(join(out, 'card.md'), 'utf8');
    expect(card).toMatch(/\| other_closed_exact \| [\d.]+ \|/);
    expect(card).toMatch(/\| steps \| 6 \|/);
    const m = await load(out);
    if (m.task !== 'caption') throw new Error(`expected a caption model, got ${m.task}`);
    const img = { width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(128) };
    expect(known).toContain((await m.caption(img, { closed: true })).text);
    m.dispose();
    // A malformed augment setting is refused before training starts.
    const badCfg = join(tmp, 'folders-bad.json');
    const cfg = JSON.parse(await readFile(cfgFile, 'utf8'));
    await writeFile(badCfg, JSON.stringify({ ...cfg, augment: { outline: 3 } }));
    const bad = await seqlab(['train', 'caption', '--config', badCfg]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/augment.outline: expected a probability in \[0, 1\], got 3/);
  }, 180_000);

  it('translate: tiny corpus, resumed, history kept, model translates', async () => {
    const corpus = join(tmp, 'corpus');
    await writeTinyCorpus(corpus);
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
    // The exported tokenizer lists the training sources' words; `train words` finds them there.
    const tokFile = join(out, 'tokenizer.json');
    const tok = JSON.parse(await readFile(tokFile, 'utf8'));
    const trainSources = (await readFile(join(corpus, 'en-es', 'train.tsv'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0] as string);
    expect(tok.sourceWords).toEqual(sourceWords(trainSources));
    const same = await seqlab(['train', 'words', '--config', cfgFile]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/unchanged: \d+ source words in .*tokenizer\.json/);
    // A folder from before the list: added, the tokenizer itself untouched.
    const { sourceWords: _, ...older } = tok;
    await writeFile(tokFile, JSON.stringify(older));
    const added = await seqlab(['train', 'words', '--config', cfgFile, '--model', out]);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/wrote \d+ source words/);
    expect(JSON.parse(await readFile(tokFile, 'utf8'))).toEqual(tok);
    // Another corpus's list is refused and nothing changes.
    const other = JSON.stringify({ ...tok, sourceWords: ['zorblax'] });
    await writeFile(tokFile, other);
    const refused = await seqlab(['train', 'words', '--config', cfgFile]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /already lists 1 source words, not the \d+ of .*train\.tsv; expected the corpus this model was trained on/,
    );
    expect(await readFile(tokFile, 'utf8')).toBe(other);
    const none = await seqlab([
      'train',
      'words',
      '--config',
      cfgFile,
      '--model',
      join(tmp, 'nope'),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /nope: expected a translator folder with model\.json and tokenizer\.json/,
    );
  });
});
