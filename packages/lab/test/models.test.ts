import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CharVocab, padBatch } from '../src/char-vocab';
import { SequenceClassifier } from '../src/classifier';
import { BagOfCharsClassifier } from '../src/feedforward';
import { langIdExamples, wordsOf } from '../src/langid-data';
import { exportParams, importParams } from '../src/params';
import { PeakTagger, peakBatch, peakLabels } from '../src/tagger';
import { noLeak, useBackend } from './helpers';

beforeAll(() => useBackend('cpu'));

describe('language-ID data', () => {
  it('labels both sides, drops untranslated and letterless strings, dedupes English', () => {
    const ex = langIdExamples({
      es: [
        ['Open file', 'Abrir archivo'],
        ['OK', 'OK'],
        ['%s: %d', '%s : %d'],
      ],
      fr: [['Open file', 'Ouvrir le fichier']],
    });
    expect(ex).toEqual([
      { text: 'Open file', label: 0 },
      { text: 'Abrir archivo', label: 1 },
      { text: 'Ouvrir le fichier', label: 2 },
    ]);
    expect(wordsOf("l'archive d'un Größe x")).toEqual(["l'archive", "d'un", 'Größe']);
  });

  it('vocab and padding', () => {
    const v = CharVocab.build(['aab', 'b'], { minCount: 2 });
    expect(v.chars).toEqual(['a', 'b']);
    expect(v.encode('abz')).toEqual([2, 3, 1]);
    expect(padBatch([[2, 3], [3]], 3)).toEqual({
      ids: Int32Array.from([2, 3, 0, 3, 0, 0]),
      mask: Float32Array.from([1, 1, 0, 1, 0, 0]),
    });
  });
});

describe('SequenceClassifier', () => {
  it('learns which character a string starts with, reports prefixes and gates, round-trips its weights', () => {
    const m = SequenceClassifier.init({ vocabSize: 6, embed: 4, units: 6, classes: 2 }, 2);
    const opt = tf.train.adam(0.05);
    // Class = whether the string starts with id 2 or id 3; the rest is noise. Needs memory over the string.
    const rows = Array.from({ length: 32 }, (_, i) => [
      2 + (i % 2),
      4 + (i % 3 === 0 ? 1 : 0),
      5,
      4,
    ]);
    const { ids, mask } = padBatch(rows, 4);
    const batch = {
      ids,
      mask,
      labels: Int32Array.from(rows.map((r) => (r[0] as number) - 2)),
      batch: 32,
      time: 4,
    };
    const first = m.trainStep(batch, opt);
    let last = first;
    noLeak(() => {
      for (let i = 0; i < 40; i++) last = m.trainStep(batch, opt);
    });
    expect(last).toBeLessThan(first / 3);
    const probs = noLeak(() => m.prefixProbs([3, 4, 5]));
    expect(probs).toHaveLength(3);
    expect(probs[2]?.[1]).toBeGreaterThan(0.8);
    const g = noLeak(() => m.gates([3, 4, 5]));
    expect(g.forget).toHaveLength(3);
    expect(g.forget[0]?.[0]).toHaveLength(6);
    const { specs, data } = exportParams(m.params);
    const copy = SequenceClassifier.fromTensors(m.config, importParams(specs, data));
    expect(copy.prefixProbs([3, 4, 5])[2]?.[1]).toBeCloseTo(probs[2]?.[1] as number, 5);
    expect(() => importParams(specs, data.subarray(1))).toThrow(
      /specs describe \d+ floats, the weights hold/,
    );
    copy.dispose();
    m.dispose();
    opt.dispose();
  });

  it('feed-forward bag of characters trains and ignores order', () => {
    const ff = BagOfCharsClassifier.init({ vocabSize: 6, hidden: 8, classes: 2 });
    const opt = tf.train.adam(0.05);
    const words = [
      [2, 2, 3],
      [4, 5],
      [3, 2, 2],
      [5, 4],
    ];
    const first = ff.trainStep(words, [0, 1, 0, 1], opt);
    let last = first;
    for (let i = 0; i < 30; i++) last = ff.trainStep(words, [0, 1, 0, 1], opt);
    expect(last).toBeLessThan(first / 3);
    const [a, b] = ff.probs([
      [2, 3, 2],
      [2, 2, 3],
    ]);
    expect(a?.[0]).toBeCloseTo(b?.[0] as number, 6);
    ff.dispose();
    opt.dispose();
  });
});

describe('PeakTagger', () => {
  it('labels local peaks', () => {
    expect(peakLabels([1, 5, 2, 2, 7])).toEqual([0, 1, 0, 0, 1]);
  });

  it('the backward direction lifts accuracy: a peak depends on the next digit', () => {
    const test = peakBatch(256, 10, 1234);
    const acc: number[] = [];
    for (const bi of [false, true]) {
      const t = new PeakTagger({ units: 8, bidirectional: bi, seed: 4 });
      t.trainStep(peakBatch(32, 10, 0));
      noLeak(() => {
        for (let i = 1; i < 80; i++) t.trainStep(peakBatch(32, 10, i));
      });
      acc.push(t.accuracy(test));
      const s = t.states([1, 5, 2]);
      expect(s.forward).toHaveLength(3);
      if (bi) expect(s.concat?.[0]).toHaveLength(16);
      else expect(s.backward).toBeNull();
      t.dispose();
    }
    expect(acc[1] as number).toBeGreaterThan((acc[0] as number) + 0.05);
  });
});

describe('every lab model', () => {
  it('leaves no tensor behind after construction, training and dispose', async () => {
    const { GradientLabModel, DEFAULT_GRADIENT_LAB } = await import('../src/gradient-lab');
    const { addingBatch } = await import('../src/tasks');
    const { Forecaster } = await import('../src/forecaster');
    const { UnrolledRNN } = await import('../src/unroll');
    const series = Array.from({ length: 60 }, (_, t) => t + Math.sin(t));
    noLeak(() => {
      for (const cell of ['simpleRNN', 'gru', 'lstm'] as const) {
        const m = new GradientLabModel({ ...DEFAULT_GRADIENT_LAB, cell, units: 4 });
        m.trainStep(addingBatch(4, 6, 1));
        m.dispose();
      }
      const t = new PeakTagger({ units: 4, bidirectional: true, seed: 1 });
      t.trainStep(peakBatch(4, 6, 1));
      t.states([1, 2, 3]);
      t.dispose();
      const f = new Forecaster(series, {
        window: 6,
        units: 4,
        period: 12,
        learningRate: 0.01,
        seed: 1,
      });
      f.trainEpoch(16);
      f.forecast(3);
      f.dispose();
      const u = new UnrolledRNN(4, 1);
      u.update('abc abc', 0.1);
      u.dispose();
      const c = SequenceClassifier.init({ vocabSize: 5, embed: 2, units: 3, classes: 2 });
      const opt = tf.train.adam(0.01);
      c.trainStep(
        {
          ids: Int32Array.from([2, 3]),
          mask: Float32Array.from([1, 1]),
          labels: Int32Array.from([1]),
          batch: 1,
          time: 2,
        },
        opt,
      );
      opt.dispose();
      c.dispose();
      BagOfCharsClassifier.init({ vocabSize: 5, hidden: 2, classes: 2 }).dispose();
    });
  });
});
