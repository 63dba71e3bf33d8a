// `seqlab train caption`: Shapes (generated on the fly) or image folders → CNN + attention decoder → model folder + card.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  type CaptionItem,
  checkAugment,
  generateLayout,
  generateScene,
  type ShapesSplit,
} from '@seqlab/data';
import { loadCaptionFolders } from '@seqlab/data/node';
import { CaptionerPipeline } from '@seqlab/models';
import { initBackend } from '@seqlab/rnn';
import {
  type CaptionBatch,
  CaptionModel,
  FastDecoder,
  loadCaptionModel,
  saveCaptionModel,
} from '@seqlab/seq2seq';
import { fileHandler } from '@seqlab/seq2seq/node';
import { captionText, captionTokens, corpusBleu, Vocab } from '@seqlab/text';
import { ImageBatchSource, ShapesBatchSource } from '../caption-batches';
import { writeCard } from '../card';
import { fromRepo, readConfig } from '../config-file';
import { CAPTION_CONFIG, type CaptionTrainConfig } from '../config-schema';
import { initWeights } from '../init-weights';
import { writeModelFolder } from '../model-folder';
import { averagedCard, checkRunDir, type RunDirFlags, runTraining } from '../run';
import type { BatchSource } from '../trainer-types';
import { validationCard } from './validation-card';

/** Side, in pixels, caption folders are loaded at (the model resizes to its imageSize). */
const FOLDER_IMAGE_SIZE = 64;

/** The JSON config of a caption training run (paths are repo-relative): see CAPTION_CONFIG. */
export type { CaptionTrainConfig };

export interface EvalItem {
  rgba: Uint8Array | Uint8ClampedArray;
  refs: string[];
}

/**
 * Caption every item with the shipped pipeline (resizing to the model's imageSize, decoding
 * defaults: what users get). `closed` decodes over `known` captions only. Pass `fast`
 * (FastDecoder.from(model)) only once the weights are final.
 */
export async function captionAll(
  model: CaptionModel,
  vocab: Vocab,
  items: readonly EvalItem[],
  opts: { known?: readonly string[]; closed?: boolean; fast?: FastDecoder | null } = {},
): Promise<string[]> {
  const pipeline = new CaptionerPipeline(
    validationCard('caption'),
    model,
    vocab,
    opts.known ?? [],
    opts.fast ?? null,
  );
  // Not disposed: the pipeline would dispose the model and `fast`, which the caller owns.
  const out: string[] = [];
  for (const it of items) {
    const side = Math.round(Math.sqrt(it.rgba.length / 4));
    const c = await pipeline.caption(
      { width: side, height: side, data: it.rgba },
      { closed: opts.closed ?? false },
    );
    out.push(c.text);
  }
  return out;
}

export function captionMetrics(
  hyps: readonly string[],
  items: readonly EvalItem[],
): { exact: number; bleu4: number; n: number } {
  const exact = hyps.filter((h, i) => items[i]?.refs.includes(h)).length / Math.max(1, hyps.length);
  const maxRefs = Math.max(...items.map((it) => it.refs.length));
  // sacreBLEU's multi-reference layout: one stream per reference slot, '' (ignored) where an item has fewer.
  const streams = Array.from({ length: maxRefs }, (_, r) =>
    items.map((it) => it.refs[r] ?? it.refs[0] ?? ''),
  );
  return {
    exact: Math.round(exact * 10000) / 10000,
    bleu4: Math.round(corpusBleu(hyps, streams).score * 100) / 100,
    n: hyps.length,
  };
}

/**
 * Copies a saved caption model's weights into `model` after checking its architecture (all but
 * word dropout and the seed) and its vocabulary.
 *
 * @example
 * await initFromModel(model, vocab, 'models/caption-shapes');
 */
export async function initFromModel(model: CaptionModel, vocab: Vocab, dir: string): Promise<void> {
  await initWeights(model, {
    key: 'initFrom',
    dir,
    kind: 'seqlab caption model folder',
    load: async (d, where) => (await loadCaptionModel(fileHandler(d), where)).model,
    trainingOnly: ['wordDropout', 'seed'],
    check: () => {
      const savedVocab = Vocab.fromJSON(
        JSON.parse(readFileSync(path.join(dir, 'vocab.json'), 'utf8')) as object,
      );
      if (JSON.stringify(savedVocab.toJSON()) !== JSON.stringify(vocab.toJSON()))
        throw new Error(
          `config 'initFrom': ${path.join(dir, 'vocab.json')} has another vocabulary than this run (${savedVocab.size} words there, ${vocab.size} here); fine-tuning keeps the vocabulary`,
        );
    },
  });
}

export function shapesEvalItems(seed: number, split: ShapesSplit, n: number): EvalItem[] {
  return Array.from({ length: n }, (_, index) => {
    const s = generateScene({ seed, split, index });
    return { rgba: s.data, refs: s.captions };
  });
}

export async function trainCaption(
  configFile: string,
  opts: RunDirFlags & { maxSteps?: number; minutes?: number; lr?: number } = {},
): Promise<void> {
  const cfg = readConfig(configFile, CAPTION_CONFIG);
  // Before any data is read: a checkpoint in the run dir needs --resume or --overwrite.
  const runDir = fromRepo(cfg.runDir);
  const out = fromRepo(cfg.out);
  await checkRunDir(runDir, opts, { out });
  const backend = await initBackend();
  mkdirSync(runDir, { recursive: true });
  const ds = cfg.dataset;
  // Training images stay at their stored size (folders: FOLDER_IMAGE_SIZE; Shapes: 64 px): each
  // batch says its size and the model resizes it to its config's imageSize.

  let vocab: Vocab;
  let data: BatchSource<CaptionBatch>;
  let valid: EvalItem[];
  let tests: { name: string; items: EvalItem[] }[];
  let dataLines: string[];
  let perEpoch: number;
  /** Folder datasets: every training caption, for closed-set decoding (captions.json). */
  let known: string[] = [];
  if (ds.kind === 'shapes') {
    perEpoch = ds.batchesPerEpoch;
    // The vocabulary comes from train-split captions only (held-out combinations use the same words).
    const sents: string[][] = [];
    for (let i = 0; i < 4000; i++)
      for (const c of generateLayout({ seed: ds.seed, split: 'train', index: i }).captions)
        sents.push(captionTokens(c));
    vocab = Vocab.build(sents);
    data = new ShapesBatchSource(vocab, {
      seed: ds.seed,
      batchSize: cfg.batchSize,
      batchesPerEpoch: ds.batchesPerEpoch,
    });
    valid = shapesEvalItems(ds.seed, 'valid', cfg.validSize);
    const testSize = ds.testSize ?? 1000;
    tests = [
      { name: 'test', items: shapesEvalItems(ds.seed, 'test', testSize) },
      { name: 'novel', items: shapesEvalItems(ds.seed, 'novel', testSize) },
    ];
    dataLines = [
      `Training data: the procedural Shapes world (@seqlab/data), train split, generated on the fly from seed ${ds.seed}: ${ds.batchesPerEpoch * cfg.batchSize} scenes per epoch.`,
      'Held-out colour×shape combinations (red star, blue triangle, yellow square, green circle) never appear in training; the `novel` split contains at least one in every scene.',
      `Test: ${testSize.toLocaleString('en-US')} scenes of the test split and ${testSize.toLocaleString('en-US')} of the novel split (exact = the caption equals one of the references).`,
      'Licence: the data is generated by this repository (Apache-2.0), and so are the weights.',
    ];
  } else {
    const loaded = await loadCaptionFolders(ds.train.map(fromRepo), FOLDER_IMAGE_SIZE);
    const trainItems: CaptionItem[] = loaded.items;
    perEpoch = Math.ceil(trainItems.length / cfg.batchSize);
    vocab = Vocab.build(trainItems.flatMap((it) => it.captions.map(captionTokens)));
    // As the decoder writes them (tokenised and joined back), sorted, each once.
    known = [
      ...new Set(trainItems.flatMap((it) => it.captions.map((c) => captionText(captionTokens(c))))),
    ].sort();
    // Validation: a fixed, seeded sample of training-style images (the unseen style stays for test only).
    const vIdx = new Set<number>();
    for (let i = 0; vIdx.size < Math.min(cfg.validSize, trainItems.length); i++)
      vIdx.add((i * 7919 + cfg.seed) % trainItems.length);
    valid = [...vIdx].map((i) => ({
      rgba: (trainItems[i] as CaptionItem).rgba,
      refs: (trainItems[i] as CaptionItem).captions,
    }));
    data = new ImageBatchSource(trainItems, vocab, {
      seed: cfg.seed,
      batchSize: cfg.batchSize,
      maxShift: cfg.maxShift,
      augment: checkAugment(cfg.augment),
      lengthBuckets: cfg.lengthBuckets,
      size: FOLDER_IMAGE_SIZE,
    });
    tests = [];
    for (const t of ds.test) {
      const l = await loadCaptionFolders([fromRepo(t.dir)], FOLDER_IMAGE_SIZE);
      tests.push({
        name: t.name,
        items: l.items.map((it) => ({ rgba: it.rgba, refs: it.captions })),
      });
    }
    dataLines = [
      `Training data: ${trainItems.length} images from ${ds.train.join(', ')}${ds.build ? ` (built by \`${ds.build}\`)` : ''}.`,
      `Tests: ${ds.test.map((t) => `${t.name} = ${t.dir}`).join('; ')}.`,
      ds.build?.includes('data emoji')
        ? 'Licences: Google Noto emoji images (Apache-2.0) and Twemoji (CC-BY-4.0: "Twemoji graphics by Twitter, Inc and other contributors"), captions from Unicode CLDR annotations (Unicode License); OpenMoji (CC-BY-SA-4.0) is a test set only. These terms travel with the weights: see NOTICE.'
        : "Licences: the training images' licences travel with the weights (see NOTICE); the code is Apache-2.0.",
    ];
  }
  writeFileSync(path.join(runDir, 'vocab.json'), JSON.stringify(vocab.toJSON()));
  process.stderr.write(`backend ${backend}; vocab ${vocab.size} words\n`);

  const model = new CaptionModel({ ...cfg.model, vocab: vocab.size, seed: cfg.seed });
  if (cfg.initFrom) await initFromModel(model, vocab, fromRepo(cfg.initFrom));
  const totalSteps = opts.maxSteps ?? cfg.maxSteps ?? cfg.epochs * perEpoch;
  const { summary, trainSeconds, history, trainer, averaged } = await runTraining({
    model,
    data,
    cfg,
    runDir,
    out,
    totalSteps,
    run: opts,
    validate: async () => {
      const m = captionMetrics(await captionAll(model, vocab, valid), valid);
      return {
        metric: m.exact,
        line: `valid exact ${m.exact} BLEU-4 ${m.bleu4} (${valid.length} images)`,
      };
    },
  });

  const metrics: Record<string, number> = {
    steps: summary.steps,
    valid_exact_best: summary.bestMetric ?? 0,
    ...(summary.bestStep !== null && !averaged?.kept ? { best_step: summary.bestStep } : {}),
    ...averagedCard(averaged).metrics,
  };
  const closed = known.length > 0;
  const fast = FastDecoder.from(model);
  for (const t of tests) {
    const g0 = Date.now();
    const hyps = await captionAll(model, vocab, t.items, { fast });
    const ms = (Date.now() - g0) / Math.max(1, t.items.length);
    const m = captionMetrics(hyps, t.items);
    metrics[`${t.name}_exact`] = m.exact;
    metrics[`${t.name}_bleu4`] = m.bleu4;
    metrics[`${t.name}_n`] = m.n;
    process.stderr.write(
      `${t.name}: exact ${m.exact} BLEU-4 ${m.bleu4} n ${m.n} (${ms.toFixed(1)} ms/image greedy)\n`,
    );
    if (closed) {
      // Closed-set decoding: only captions seen in training can come out.
      const c = captionMetrics(
        await captionAll(model, vocab, t.items, { known, closed: true, fast }),
        t.items,
      );
      metrics[`${t.name}_closed_exact`] = c.exact;
      metrics[`${t.name}_closed_bleu4`] = c.bleu4;
      process.stderr.write(`${t.name} (closed set): exact ${c.exact} BLEU-4 ${c.bleu4}\n`);
    }
  }
  fast.dispose();
  const headline: Record<string, number> = {};
  for (const t of tests) {
    headline[`${t.name}_exact`] = metrics[`${t.name}_exact`] as number;
    if (closed) headline[`${t.name}_closed_exact`] = metrics[`${t.name}_closed_exact`] as number;
  }
  // Everything is written to a temporary folder that replaces `out` only once it is complete.
  await writeModelFolder(out, async (dir) => {
    writeFileSync(path.join(dir, 'vocab.json'), JSON.stringify(vocab.toJSON()));
    if (known.length > 0)
      writeFileSync(path.join(dir, 'captions.json'), `${JSON.stringify(known)}\n`);
    await saveCaptionModel(model, fileHandler(dir), {
      quantization: cfg.quantization,
      userDefinedMetadata: {
        task: 'caption',
        name: cfg.name,
        title: ds.kind === 'shapes' ? 'Shapes world captioner' : 'Emoji captioner',
        files: {
          vocab: 'vocab.json',
          card: 'card.md',
          ...(known.length > 0 ? { captions: 'captions.json' } : {}),
        },
        metrics: headline,
        data: dataLines[0] ?? '',
        settings: { imageSize: model.config.imageSize },
      } as unknown as Record<string, unknown>,
    });
    writeCard(dir, {
      name: cfg.name,
      title: ds.kind === 'shapes' ? 'Shapes world captioner' : 'Emoji captioner',
      configFile,
      config: cfg,
      modelConfig: model.config,
      metrics,
      trainSeconds,
      backend,
      history,
      data: cfg.initFrom
        ? [
            ...dataLines,
            ...averagedCard(averaged).lines,
            `Fine-tuned from the weights in \`${cfg.initFrom}\`${cfg.initFromCommand ? ' (trained by the first command below)' : ''}.`,
          ]
        : [...dataLines, ...averagedCard(averaged).lines],
      ...(cfg.initFromCommand ? { before: [cfg.initFromCommand] } : {}),
    });
  });
  model.dispose();
  trainer.dispose();
  process.stderr.write(`saved ${out}\n`);
  if (!existsSync(path.join(out, 'model.json')))
    throw new Error(`train caption: ${out}/model.json was not written`);
}
