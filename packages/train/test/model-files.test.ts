// In-page training helpers: the seeded split/tokenizer/batches of prepareTranslation, and the
// in-memory model folder (translatorFolder) that load() reads back into the same translations.
import {
  CaptionerPipeline,
  loadFromSource,
  memorySource,
  TranslatorPipeline,
} from '@seqlab/models';
import { CaptionModel, Seq2Seq } from '@seqlab/seq2seq';
import { Vocab } from '@seqlab/text';
import { beforeAll, describe, expect, test } from 'vitest';
import { useCpu } from '../../seq2seq/test/helpers';
import { captionerFolder, prepareTranslation, translatorFolder } from '../src/index';

beforeAll(useCpu);

const WORDS = ['red', 'blue', 'green', 'cat', 'dog', 'house', 'open', 'save', 'file', 'close'];
const ES: Record<string, string> = {
  red: 'rojo',
  blue: 'azul',
  green: 'verde',
  cat: 'gato',
  dog: 'perro',
  house: 'casa',
  open: 'abrir',
  save: 'guardar',
  file: 'archivo',
  close: 'cerrar',
};
const PAIRS = WORDS.flatMap((a) =>
  WORDS.map((b) => ({ source: `${a} ${b}`, target: `${ES[a]} ${ES[b]}` })),
);
const OPTS = {
  vocabSize: 80,
  maxTokens: 12,
  batchSize: 8,
  validFraction: 0.1,
  maxValid: 6,
  seed: 3,
};

describe('prepareTranslation', () => {
  test('is deterministic, holds out validation pairs and batches every kept pair once', () => {
    const a = prepareTranslation(PAIRS, OPTS);
    const b = prepareTranslation(PAIRS, OPTS);
    expect(a.valid).toEqual(b.valid);
    expect(a.batches).toEqual(b.batches);
    expect(a.tokenizer.toJSON()).toEqual(b.tokenizer.toJSON());
    expect(a.valid).toHaveLength(6);
    expect(a.trainPairs).toBe(PAIRS.length - 6);
    const rows = a.batches.reduce((n, x) => n + x.src.length, 0);
    expect(rows).toBe(a.keptPairs);
    expect(a.batches.every((x) => x.src.length <= 8 && x.tgt.every((t) => t.at(-1) === 2))).toBe(
      true,
    );
    // Another seed holds out other pairs.
    expect(prepareTranslation(PAIRS, { ...OPTS, seed: 4 }).valid).not.toEqual(a.valid);
  });

  test('refuses settings and data it cannot train on, saying what was expected', () => {
    expect(() => prepareTranslation(PAIRS, { ...OPTS, validFraction: 0.9 })).toThrow(
      /validFraction must be in 0..0.5, got 0.9/,
    );
    expect(() => prepareTranslation(PAIRS.slice(0, 1), OPTS)).toThrow(/at least 2 .* got 1/);
    expect(() => prepareTranslation(PAIRS, { ...OPTS, maxTokens: 1 })).toThrow(
      /no training pair has at most 1 tokens/,
    );
  });
});

describe('translatorFolder', () => {
  test('writes the folder load() reads, and the loaded translator translates as the model does', async () => {
    const prep = prepareTranslation(PAIRS, OPTS);
    const v = prep.tokenizer.vocabSize;
    const model = new Seq2Seq({
      srcVocab: v,
      tgtVocab: v,
      embDim: 8,
      hidden: 12,
      encoderHidden: 8,
      attention: 'dot',
      inputFeeding: false,
      seed: 5,
    });
    const files = await translatorFolder(model, prep.tokenizer, {
      name: 'tiny-en-es',
      source: 'en',
      target: 'es',
      data: 'test pairs',
      metrics: { bleu: 1.5 },
      card: '# tiny\n',
      sourceWords: prep.sourceWords,
    });
    // The training sources' words travel in tokenizer.json (the `unseen` copy class's list).
    expect(prep.sourceWords).toContain('open');
    expect(JSON.parse(new TextDecoder().decode(files['tokenizer.json'])).sourceWords).toEqual(
      prep.sourceWords,
    );
    const names = Object.keys(files).sort();
    expect(names).toEqual(expect.arrayContaining(['card.md', 'model.json', 'tokenizer.json']));
    expect(names.filter((n) => /^group1-[0-9a-f]{8}-shard1of1\.bin$/.test(n))).toHaveLength(1);
    const json = JSON.parse(new TextDecoder().decode(files['model.json']));
    expect(json.format).toBe('seqlab-seq2seq');
    expect(json.userDefinedMetadata).toMatchObject({
      task: 'translate',
      name: 'tiny-en-es',
      settings: { source: 'en', target: 'es' },
      metrics: { bleu: 1.5 },
    });

    const inPage = new TranslatorPipeline(
      {
        name: 'x',
        task: 'translate',
        title: '',
        metrics: {},
        sizeBytes: 0,
        markdown: '',
        data: '',
      },
      { source: 'en', target: 'es' },
      model,
      prep.tokenizer,
      prep.tokenizer,
      null,
      undefined,
      new Set(prep.sourceWords),
    );
    const loaded = await loadFromSource(memorySource(files, 'zip'), { skipWarmup: true });
    if (loaded.task !== 'translate') throw new Error(`expected a translator, got ${loaded.task}`);
    expect(loaded.card.name).toBe('tiny-en-es');
    expect(loaded.card.markdown).toBe('# tiny\n');
    for (const s of ['red cat', 'open file', 'save the house'])
      expect((await loaded.translate(s)).text).toBe((await inPage.translate(s)).text);
    loaded.dispose();
    inPage.dispose();
  });
});

describe('captionerFolder', () => {
  test('writes the folder load() reads as a captioner, which captions as the model does', async () => {
    const vocab = Vocab.build([
      ['a', 'red', 'square'],
      ['a', 'blue', 'circle'],
    ]);
    const model = new CaptionModel({
      vocab: vocab.size,
      imageSize: 16,
      channels: [4, 8],
      strides: [2, 2],
      embDim: 8,
      hidden: 12,
      attentionDim: 8,
      seed: 3,
    });
    const known = ['a blue circle', 'a red square'];
    const files = await captionerFolder(model, vocab, known, {
      name: 'tiny-shapes',
      data: 'test images',
      metrics: { exact: 0.5 },
      card: '# tiny shapes\n',
    });
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining(['captions.json', 'card.md', 'model.json', 'vocab.json']),
    );
    const json = JSON.parse(new TextDecoder().decode(files['model.json']));
    expect(json.userDefinedMetadata).toMatchObject({
      task: 'caption',
      name: 'tiny-shapes',
      settings: { imageSize: 16 },
      files: { vocab: 'vocab.json', captions: 'captions.json', card: 'card.md' },
    });
    const card = {
      name: 'x',
      task: 'caption' as const,
      title: '',
      metrics: {},
      sizeBytes: 0,
      markdown: '',
      data: '',
    };
    const inPage = new CaptionerPipeline(card, model, vocab, known, null);
    const loaded = await loadFromSource(memorySource(files, 'zip'), { skipWarmup: true });
    if (loaded.task !== 'caption') throw new Error(`expected a captioner, got ${loaded.task}`);
    expect(loaded.canDecodeClosed).toBe(true);
    const data = new Uint8Array(16 * 16 * 4).map((_, i) => (i * 37) % 256);
    const image = { width: 16, height: 16, data };
    expect((await loaded.caption(image)).text).toBe((await inPage.caption(image)).text);
    loaded.dispose();
    inPage.dispose();
  });
});
