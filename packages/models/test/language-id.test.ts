import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BagOfCharsClassifier, CharVocab, langIdModelFiles, SequenceClassifier } from '@seqlab/lab';
import { initBackend } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEncoderGates } from '../src/encoder-gates';
import { loadLanguageId } from '../src/language-id';
import { dirSource } from '../src/node';
import { memorySource } from '../src/source';

beforeAll(async () => {
  await initBackend('cpu');
});

describe('loadLanguageId', () => {
  it('loads a saved model, predicts per prefix, records gates and disposes everything', async () => {
    const vocab = new CharVocab([...'abcdef ']);
    const lstm = SequenceClassifier.init(
      { vocabSize: vocab.size, embed: 3, units: 4, classes: 2 },
      3,
    );
    const ff = BagOfCharsClassifier.init({ vocabSize: vocab.size, hidden: 5, classes: 2 });
    const want = lstm.prefixProbs(vocab.encode('abc'));
    const { modelJson, weights } = langIdModelFiles(lstm, ff, vocab, ['xx', 'yy'], 8, {
      metrics: { accuracy: 0.5 },
    });
    lstm.dispose();
    ff.dispose();
    const before = tf.memory().numTensors;
    const lid = await loadLanguageId(
      memorySource({ 'model.json': modelJson, 'weights.bin': weights, 'card.md': '# card' }),
    );
    const r = lid.identify('abc');
    expect(r.prefixes.map((p) => p.char)).toEqual(['a', 'b', 'c']);
    expect(r.prefixes[2]?.probs.yy).toBeCloseTo(want[2]?.[1] as number, 5);
    expect(['xx', 'yy']).toContain(r.language);
    expect(lid.identify('abcdefabcdef').prefixes).toHaveLength(8); // read up to maxChars
    expect(lid.gates('ab').record.forget).toHaveLength(2);
    expect(Object.keys(lid.identifyWord('bad'))).toEqual(['xx', 'yy']);
    expect(lid.metrics.accuracy).toBe(0.5);
    expect(lid.card).toBe('# card');
    lid.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => lid.identify('a')).toThrow(/after dispose/);
  });

  it('says what it expected of model.json', async () => {
    await expect(loadLanguageId(memorySource({ 'model.json': '{"format":"x"}' }))).rejects.toThrow(
      /expected a seqlab-langid model.json/,
    );
  });

  const shipped = join(__dirname, '..', '..', '..', 'models', 'langid');
  it.skipIf(!existsSync(join(shipped, 'model.json')))(
    'the shipped model tells the four languages apart on everyday UI strings',
    async () => {
      const lid = await loadLanguageId(dirSource(shipped));
      const cases: [string, string][] = [
        ['Save the document before closing?', 'en'],
        ['¿Desea guardar el documento antes de cerrar?', 'es'],
        ['Voulez-vous enregistrer le document avant de fermer ?', 'fr'],
        ['Möchten Sie das Dokument vor dem Schließen speichern?', 'de'],
      ];
      for (const [text, lang] of cases) expect(lid.identify(text).language).toBe(lang);
      expect(lid.metrics.accuracy).toBeGreaterThan(0.8);
      lid.dispose();
    },
  );
});

const translator = join(__dirname, '..', '..', '..', 'models', 'translate-en-es');
describe('loadEncoderGates', () => {
  it.skipIf(!existsSync(join(translator, 'model.json')))(
    "records the shipped translator's first encoder layer per source token, sigmoid gates in (0, 1)",
    async () => {
      const before = tf.memory().numTensors;
      const enc = await loadEncoderGates(dirSource(translator));
      const { tokens, record } = enc.gates('Open the file');
      expect(tokens.length).toBeGreaterThan(1);
      expect(record.forget).toHaveLength(tokens.length);
      expect(record.forget[0]?.[0]).toHaveLength(enc.units);
      const flat = record.forget.flat(2);
      expect(Math.min(...flat)).toBeGreaterThan(0);
      expect(Math.max(...flat)).toBeLessThan(1);
      enc.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );
});
