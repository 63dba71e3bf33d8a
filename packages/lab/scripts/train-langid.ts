// Trains the lab's language-ID models (character LSTM + bag-of-characters feed-forward) on the gettext
// corpus and writes models/langid/{model.json, weights.bin}.
//
//   nice -n 10 pnpm exec tsx packages/lab/scripts/train-langid.ts [--minutes 12] [--corpus data-cache/gettext63] [--out models/langid]
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import {
  BagOfCharsClassifier,
  CharVocab,
  LANGID_LABELS,
  type LangIdExample,
  langIdExamples,
  langIdModelFiles,
  makeRng,
  padBatch,
  SequenceClassifier,
  shuffle,
  wordsOf,
} from '../src/index';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
};
const corpus = arg('corpus', 'data-cache/gettext63');
const out = arg('out', 'models/langid');
const minutes = Number(arg('minutes', '12'));
const SEED = 20;
const MAX_CHARS = 48; // strings are cut to their first 48 characters in training
const PER_LANG = 40_000; // training strings per language (balanced classes)
const BATCH = 64;
const CONFIG = { embed: 16, units: 48, classes: LANGID_LABELS.length };
const FF_HIDDEN = 32;
const SHORT = 20; // "short string": at most this many characters

function readPairs(split: string) {
  const pairs: Record<string, [string, string][]> = {};
  for (const lang of ['es', 'fr', 'de']) {
    const file = join(corpus, `en-${lang}`, `${split}.tsv`);
    pairs[lang] = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t').slice(0, 2) as [string, string]);
  }
  return langIdExamples(pairs);
}

const rng = makeRng(SEED);
const balance = (xs: LangIdExample[], per: number) =>
  LANGID_LABELS.flatMap((_, label) =>
    shuffle(
      xs.filter((x) => x.label === label),
      rng,
    ).slice(0, per),
  );

await initBackend('wasm');
const trainAll = readPairs('train');
const train = shuffle(balance(trainAll, PER_LANG), rng);
const valid = balance(readPairs('valid'), 500);
const test = readPairs('test');
const vocab = CharVocab.build(
  train.map((x) => x.text),
  { minCount: 20, maxSize: 160 },
);
console.log(
  `train ${train.length} (of ${trainAll.length}), valid ${valid.length}, test ${test.length}; vocab ${vocab.size}`,
);

const model = SequenceClassifier.init({ vocabSize: vocab.size, ...CONFIG }, SEED);
const ff = BagOfCharsClassifier.init(
  { vocabSize: vocab.size, hidden: FF_HIDDEN, classes: CONFIG.classes },
  SEED + 10,
);
const opt = tf.train.adam(3e-3);
const ffOpt = tf.train.adam(3e-3);

/** Strings as a padded batch; `prefix` cuts some of them to a random prefix (so short inputs are seen too). */
function batchOf(xs: LangIdExample[], prefix: boolean) {
  const seqs = xs.map((x) => {
    const ids = vocab.encode(x.text).slice(0, MAX_CHARS);
    if (!prefix || rng() > 0.3 || ids.length < 4) return ids;
    return ids.slice(0, 2 + Math.floor(rng() * (ids.length - 2)));
  });
  const time = Math.max(1, ...seqs.map((s) => s.length));
  const { ids, mask } = padBatch(seqs, time);
  return { ids, mask, labels: Int32Array.from(xs.map((x) => x.label)), batch: xs.length, time };
}

function accuracy(xs: LangIdExample[], cut = MAX_CHARS): number {
  let right = 0;
  // Sorted by length so each batch pads little.
  const sorted = [...xs].sort((a, b) => a.text.length - b.text.length);
  for (let i = 0; i < sorted.length; i += 256) {
    const chunk = sorted.slice(i, i + 256);
    const seqs = chunk.map((x) => vocab.encode(x.text).slice(0, cut));
    const time = Math.max(1, ...seqs.map((s) => s.length));
    const { ids, mask } = padBatch(seqs, time);
    const pred = model.predict({ ids, mask, batch: chunk.length, time });
    pred.forEach((p, j) => {
      if (p === chunk[j]?.label) right++;
    });
  }
  return right / xs.length;
}

const wordExamples = (xs: LangIdExample[]) =>
  xs.flatMap((x) => wordsOf(x.text).map((w) => ({ text: w, label: x.label })));
const trainWords = shuffle(wordExamples(train), rng);
function ffAccuracy(xs: LangIdExample[]): number {
  let right = 0;
  for (let i = 0; i < xs.length; i += 512) {
    const chunk = xs.slice(i, i + 512);
    const probs = ff.probs(chunk.map((x) => vocab.encode(x.text)));
    probs.forEach((p, j) => {
      if (p.indexOf(Math.max(...p)) === chunk[j]?.label) right++;
    });
  }
  return right / Math.max(1, xs.length);
}

const t0 = Date.now();
let step = 0;
let epoch = 0;
const deadline = t0 + minutes * 60_000;
let lossAvg = 0;
training: for (;;) {
  for (let i = 0; i + BATCH <= train.length; i += BATCH) {
    const loss = model.trainStep(batchOf(train.slice(i, i + BATCH), true), opt);
    lossAvg = step === 0 ? loss : 0.98 * lossAvg + 0.02 * loss;
    const w = trainWords.slice(
      (step * 128) % (trainWords.length - 128),
      ((step * 128) % (trainWords.length - 128)) + 128,
    );
    if (step < 3000)
      ff.trainStep(
        w.map((x) => vocab.encode(x.text)),
        w.map((x) => x.label),
        ffOpt,
      );
    step++;
    if (step % 250 === 0) {
      const min = (Date.now() - t0) / 60_000;
      console.log(
        `step ${step} epoch ${epoch} loss ${lossAvg.toFixed(3)} valid acc ${accuracy(valid).toFixed(3)} ` +
          `${min.toFixed(1)} min, tensors ${tf.memory().numTensors}`,
      );
    }
    if (Date.now() > deadline) break training;
  }
  epoch++;
}

const short = test.filter((x) => [...x.text].length <= SHORT);
const testWords = wordExamples(test);
const metrics = {
  accuracy: accuracy(test),
  shortAccuracy: accuracy(short),
  first10Accuracy: accuracy(test, 10),
  wordAccuracy: ffAccuracy(testWords),
};
const counts = {
  test: test.length,
  short: short.length,
  testWords: testWords.length,
  train: train.length,
  steps: step,
  minutes: Number(((Date.now() - t0) / 60_000).toFixed(1)),
};
console.log('metrics', metrics, counts);

const files = langIdModelFiles(model, ff, vocab, LANGID_LABELS, MAX_CHARS, {
  metrics,
  counts,
  corpus,
  seed: SEED,
});
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'weights.bin'), files.weights);
writeFileSync(join(out, 'model.json'), files.modelJson);
model.dispose();
ff.dispose();
console.log(`wrote ${out}/model.json and weights.bin (${files.weights.length} bytes)`);
