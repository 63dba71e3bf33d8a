// Real translate-en-es training batches for the benchmark: pairs from the gettext corpus, encoded
// with the shipped tokenizer as the trainer does (placeholders protected, EOS on both sides,
// ≤ maxTokens), length-bucketed into batches of 64, and `count` of them taken evenly across the
// length range (so the mix of padded shapes is an epoch's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BpeTokenizer, protect, protectWith } from '@seqlab/text';

export interface RealBatches {
  batches: { src: number[][]; tgt: number[][] }[];
  /** Where the pairs came from, or 'synthetic' (corpus absent: lengths drawn to match). */
  data: string;
  vocab: number;
}

/** The shipped config's model section and training sizes. */
export function readConfig(root: string) {
  return JSON.parse(readFileSync(join(root, 'configs', 'translate-en-es.json'), 'utf8')) as {
    vocabSize: number;
    maxTokens: number;
    batchSize: number;
    lr: number;
    clipNorm: number;
    model: Record<string, unknown>;
  };
}

export function realBatches(root: string, count: number, sample = 64 * 240): RealBatches {
  const cfg = readConfig(root);
  const tsv = join(root, 'data-cache', 'gettext63', 'en-es', 'train.tsv');
  const tokPath = join(root, 'models', 'translate-en-es', 'tokenizer.json');
  let lines: string[];
  let tok: BpeTokenizer;
  try {
    lines = readFileSync(tsv, 'utf8').split('\n').filter(Boolean);
    tok = BpeTokenizer.fromJSON(
      (JSON.parse(readFileSync(tokPath, 'utf8')) as { source: unknown }).source,
    );
  } catch {
    return synthetic(cfg.vocabSize, cfg.batchSize, count);
  }
  let s = 12345;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const pairs: { src: number[]; tgt: number[] }[] = [];
  for (let i = 0; i < sample; i++) {
    const [en, es] = (lines[Math.floor(rnd() * lines.length)] as string).split('\t');
    if (!en || !es) continue;
    const p = protect(en);
    const src = tok.encode(p.text, { eos: true });
    const tgt = tok.encode(protectWith(es, p.placeholders).text, { eos: true });
    if (src.length <= cfg.maxTokens && tgt.length <= cfg.maxTokens) pairs.push({ src, tgt });
  }
  pairs.sort((a, b) => a.src.length - b.src.length || a.tgt.length - b.tgt.length);
  const all: RealBatches['batches'] = [];
  for (let i = 0; i + cfg.batchSize <= pairs.length; i += cfg.batchSize) {
    const chunk = pairs.slice(i, i + cfg.batchSize);
    all.push({ src: chunk.map((p) => p.src), tgt: chunk.map((p) => p.tgt) });
  }
  const picked = Array.from(
    { length: count },
    (_, k) => all[Math.floor(((k + 0.5) * all.length) / count)],
  );
  // Interleave short and long so a time budget that stops early still sees the mix.
  const order = picked.map((_, k) => (k % 2 === 0 ? k / 2 : count - 1 - (k - 1) / 2));
  return {
    batches: order.map((k) => picked[k] as RealBatches['batches'][number]),
    data: `data-cache/gettext63/en-es/train.tsv (${pairs.length} sampled pairs), models/translate-en-es/tokenizer.json`,
    vocab: cfg.vocabSize,
  };
}

function synthetic(vocab: number, b: number, count: number): RealBatches {
  let s = 7;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const row = (len: number) => [
    ...Array.from({ length: len - 1 }, () => 4 + Math.floor(rnd() * (vocab - 4))),
    2,
  ];
  const batches = Array.from({ length: count }, (_, k) => {
    const S = 4 + Math.round((k / Math.max(1, count - 1)) * 30);
    return {
      src: Array.from({ length: b }, () => row(S)),
      tgt: Array.from({ length: b }, () => row(Math.max(2, Math.round(S * (0.8 + 0.5 * rnd()))))),
    };
  });
  return { batches, data: 'synthetic (corpus or tokenizer absent)', vocab };
}
