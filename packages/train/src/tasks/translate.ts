// `seqlab train translate`: corpus → BPE → seq2seq with attention → checkpoints → float16 model folder + card.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { readTsvFile } from '@seqlab/data/node';
import { KernelTrainStep } from '@seqlab/kernels';
import { enableRelaxedSimd, nodeSpawn } from '@seqlab/kernels/node';
import { TRANSLATE_LENGTH_PENALTY, TranslatorPipeline } from '@seqlab/models';
import { initBackend } from '@seqlab/rnn';
import {
  FastDecoder,
  loadSeq2Seq,
  Seq2Seq as Model,
  type Seq2Seq,
  type Seq2SeqBatch,
  saveSeq2Seq,
} from '@seqlab/seq2seq';
import { fileHandler } from '@seqlab/seq2seq/node';
import {
  BpeTokenizer,
  corpusBleu,
  corpusChrf,
  sourceWords,
  trainTranslationTokenizers,
} from '@seqlab/text';
import { ArrayBatchSource } from '../batch-source';
import { writeCard } from '../card';
import { fromRepo, readConfig } from '../config-file';
import { TRANSLATE_CONFIG, type TranslateTrainConfig } from '../config-schema';
import { initWeights, useInitTokenizer } from '../init-weights';
import { writeModelFolder } from '../model-folder';
import { averagedCard, checkRunDir, type RunDirFlags, runTraining } from '../run';
import { BpeDropoutBatches, encodeTranslationPairs, lengthBatches } from '../translate-prep';
import { ensureCorpus } from './corpus';
import { validationCard } from './validation-card';

/** The JSON config of a translation training run (paths are repo-relative): see TRANSLATE_CONFIG. */
export type { TranslateTrainConfig };

export interface EncodedPair {
  src: number[];
  tgt: number[];
}

/**
 * Protect placeholders on both sides consistently, then BPE-encode; EOS ends both sides (the
 * in-page trainer's `encodeTranslationPairs`, one implementation for both).
 */
export const encodePairs: (
  pairs: readonly { source: string; target: string }[],
  tok: BpeTokenizer,
  maxTokens: number,
) => EncodedPair[] = encodeTranslationPairs;

/** Length-bucketed batches (sorted by source then target length, cut into fixed-size batches). */
export const makeBatches: (pairs: readonly EncodedPair[], batchSize: number) => Seq2SeqBatch[] =
  lengthBatches;

/**
 * Translate `sources` with the shipped pipeline (segmenting, placeholders, chunking, decoding
 * defaults: what users get), so validation and test metrics measure the product. Pass `fast`
 * (FastDecoder.from(model)) only once the weights are final.
 */
export async function translateAll(
  model: Seq2Seq,
  tok: BpeTokenizer,
  sources: readonly string[],
  beam = 1,
  fast: FastDecoder | null = null,
  lengthPenalty: number = TRANSLATE_LENGTH_PENALTY,
  /** The training sources' words, so `unseen` words are copied as the shipped model copies them. */
  words: ReadonlySet<string> | null = null,
): Promise<string[]> {
  const pipeline = new TranslatorPipeline(
    validationCard('translate'),
    { source: 'en', target: '?' },
    model,
    tok,
    tok,
    fast,
    lengthPenalty,
    words,
  );
  // Not disposed: the pipeline would dispose the model and `fast`, which the caller owns.
  return (await pipeline.translateBatch(sources, { beam })).map((t) => t.text);
}

export async function trainTranslate(
  configFile: string,
  opts: RunDirFlags & {
    maxSteps?: number;
    minutes?: number;
    lr?: number;
    /** 'kernels': every step on @seqlab/kernels' multi-core WebAssembly step (default 'tfjs'). */
    engine?: 'tfjs' | 'kernels';
    /** Threads of the kernels engine (default: the machine's available parallelism). */
    threads?: number;
  } = {},
): Promise<void> {
  const cfg = readConfig(configFile, TRANSLATE_CONFIG);
  // Before any data is read: a checkpoint in the run dir needs --resume or --overwrite.
  const runDir = fromRepo(cfg.runDir);
  const out = fromRepo(cfg.out);
  await checkRunDir(runDir, opts, { out });
  const initDir = cfg.init !== undefined ? fromRepo(cfg.init) : null;
  for (const f of initDir ? ['model.json', 'tokenizer.json'] : []) {
    if (!existsSync(path.join(initDir as string, f)))
      throw new Error(
        `config ${configFile}: init ${cfg.init}: ${path.join(initDir as string, f)} is missing (expected a seqlab translator folder with model.json and tokenizer.json)`,
      );
  }
  const backend = await initBackend();
  const corpus = fromRepo(cfg.corpus);
  const langDir = await ensureCorpus(corpus, cfg.target);
  // Read before training: a malformed manifest must not cost the run at its end.
  const manifest = readManifest(corpus);
  mkdirSync(runDir, { recursive: true });
  const train = await readTsvFile(path.join(langDir, 'train.tsv'));
  // Checkpoints are chosen on whole held-out applications where the corpus has them.
  const validSplit =
    cfg.validSplit ?? (existsSync(path.join(langDir, 'dev-apps.tsv')) ? 'dev-apps' : 'valid');
  const valid = await readTsvFile(path.join(langDir, `${validSplit}.tsv`));
  const testCap = cfg.testSize ?? Number.POSITIVE_INFINITY;
  const test = (await readTsvFile(path.join(langDir, 'test.tsv'))).slice(0, testCap);
  const testAppsFile = path.join(langDir, 'test-apps.tsv');
  const testApps = existsSync(testAppsFile)
    ? (await readTsvFile(testAppsFile)).slice(0, testCap)
    : [];
  process.stderr.write(
    `backend ${backend}; pairs: train ${train.length}, ${validSplit} ${valid.length} (chooses checkpoints), test ${test.length}, test-apps ${testApps.length}\n`,
  );

  // The words the `unseen` copy class knows: validation and the model folder use the same list.
  const wordList = sourceWords(train.map((p) => p.source));
  const words = new Set(wordList);
  // The tokenizer is deterministic; it is cached in the run dir so resume reuses the exact one.
  const tokFile = path.join(runDir, 'tokenizer.json');
  if (opts.overwrite) rmSync(tokFile, { force: true }); // a new run: the config's vocabSize may differ
  // Fine-tuning keeps the model's vocabulary: its tokenizer encodes the corpus.
  if (initDir) useInitTokenizer(initDir, tokFile);
  let tok: BpeTokenizer;
  if (existsSync(tokFile))
    tok = BpeTokenizer.fromJSON(
      (JSON.parse(readFileSync(tokFile, 'utf8')) as { source: unknown }).source,
    );
  else {
    const t0 = Date.now();
    tok = trainTranslationTokenizers(
      train.map((p) => [p.source, p.target] as const),
      { joint: true, vocabSize: cfg.vocabSize },
    ).source;
    writeFileSync(tokFile, JSON.stringify({ joint: true, source: tok.toJSON() }));
    process.stderr.write(
      `tokenizer: ${tok.vocabSize} pieces in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
    );
  }
  // BPE-dropout resamples every epoch's segmentations; otherwise the corpus is encoded once.
  const dropout = cfg.bpeDropout ?? 0;
  const resampled =
    dropout > 0
      ? new BpeDropoutBatches(train, tok, {
          dropout,
          maxTokens: cfg.maxTokens,
          batchSize: cfg.batchSize,
          seed: cfg.seed,
        })
      : null;
  const encoded = resampled ? null : encodePairs(train, tok, cfg.maxTokens);
  const batches = encoded ? makeBatches(encoded, cfg.batchSize) : [];
  const kept = resampled?.keptPairs ?? encoded?.length ?? 0;
  const batchesPerEpoch = resampled?.batchesPerEpoch ?? batches.length;
  if (resampled) {
    const t1 = Date.now();
    const e0 = resampled.encodeEpoch(0);
    const secs = (Date.now() - t1) / 1000;
    const base = encodePairs(train.slice(0, 20_000), tok, Number.POSITIVE_INFINITY);
    const per = (xs: readonly EncodedPair[]) =>
      xs.reduce((n, p) => n + p.tgt.length, 0) / xs.length;
    process.stderr.write(
      `BPE-dropout ${dropout}: target tokens per pair ${per(e0.slice(0, 20_000)).toFixed(2)} sampled vs ${per(base).toFixed(2)} deterministic (first 20,000 pairs); an epoch encodes in ${secs.toFixed(1)} s\n`,
    );
  }
  const tokens = encoded?.reduce((n, p) => n + p.tgt.length, 0);
  process.stderr.write(
    `training pairs kept ${kept}/${train.length}; ${batchesPerEpoch} batches/epoch${tokens !== undefined ? `; ${tokens} target tokens/epoch` : ''}\n`,
  );

  const model = new Model({
    ...cfg.model,
    srcVocab: tok.vocabSize,
    tgtVocab: tok.vocabSize,
    seed: cfg.seed,
  });
  if (initDir) await initTranslator(model, initDir);
  const validSrc = valid.slice(0, cfg.validSize).map((p) => p.source);
  const validRef = valid.slice(0, cfg.validSize).map((p) => p.target);
  const totalSteps = opts.maxSteps ?? cfg.maxSteps ?? batchesPerEpoch * cfg.epochs;
  // FMA where the runtime can (Node 20: behind a V8 flag, which the CLI sets before anything
  // compiles; here it only takes effect when nothing has compiled WebAssembly yet).
  if (opts.engine === 'kernels') enableRelaxedSimd();
  const engine =
    opts.engine === 'kernels'
      ? await KernelTrainStep.create(model.config, model.params.read(), {
          threads: opts.threads ?? availableParallelism(),
          spawn: nodeSpawn,
          lr: cfg.lr,
          clipNorm: cfg.clipNorm,
          seed: cfg.seed,
        })
      : null;
  const trainer_ = engine
    ? `seqlab kernels (@seqlab/kernels KernelTrainStep, ${engine.threads} threads${engine.relaxed ? ', relaxed-SIMD FMA' : ''})`
    : `tfjs ${backend} (@seqlab/train trainStep)`;
  process.stderr.write(`trainer: ${trainer_}\n`);
  const { summary, trainSeconds, history, trainer, averaged } = await runTraining({
    model,
    ...(engine ? { engine } : {}),
    data: resampled ?? new ArrayBatchSource(batches, { shuffle: true, seed: cfg.seed }),
    cfg,
    runDir,
    out,
    totalSteps,
    run: opts,
    validate: async () => {
      const bleu = corpusBleu(await translateAll(model, tok, validSrc, 1, null, undefined, words), [
        validRef,
      ]).score;
      return {
        metric: bleu,
        line: `${validSplit} BLEU ${bleu.toFixed(2)} (${validSrc.length} sentences, greedy, the shipped pipeline)`,
      };
    },
    // Checkpoint averaging chooses on the whole split: the kept weights won on its first strings.
    finalValidate: {
      on: `greedy BLEU on the whole ${validSplit} split, ${valid.length} strings`,
      run: async () => {
        const fast = FastDecoder.from(model);
        try {
          const all = valid.map((p) => p.source);
          const bleu = corpusBleu(await translateAll(model, tok, all, 1, fast, undefined, words), [
            valid.map((p) => p.target),
          ]).score;
          return {
            metric: bleu,
            line: `${validSplit} BLEU ${bleu.toFixed(2)} (all ${all.length} sentences, greedy, the shipped pipeline)`,
          };
        } finally {
          fast.dispose();
        }
      },
    },
  });

  // Final evaluation, greedy and beam 4: the in-domain test split and, where the corpus has it,
  // the test split of whole held-out applications.
  const fast = FastDecoder.from(model);
  const alpha = cfg.lengthPenalty ?? TRANSLATE_LENGTH_PENALTY;
  const g0 = Date.now();
  const scores = async (pairs: readonly { source: string; target: string }[], prefix: string) => {
    const src = pairs.map((p) => p.source);
    const ref = [pairs.map((p) => p.target)];
    const greedy = await translateAll(model, tok, src, 1, fast, undefined, words);
    const beam = await translateAll(model, tok, src, 4, fast, alpha, words);
    return {
      [`${prefix}_bleu_greedy`]: round(corpusBleu(greedy, ref).score),
      [`${prefix}_chrf_greedy`]: round(corpusChrf(greedy, ref)),
      [`${prefix}_bleu_beam4`]: round(corpusBleu(beam, ref).score),
      [`${prefix}_chrf_beam4`]: round(corpusChrf(beam, ref)),
      [`${prefix}_sentences`]: src.length,
    };
  };
  const inDomain = await scores(test, 'test');
  const greedyMs = (Date.now() - g0) / Math.max(1, test.length);
  const apps = testApps.length ? await scores(testApps, 'test_apps') : {};
  fast.dispose();
  const metrics: Record<string, number> = {
    ...inDomain,
    ...apps,
    [`${validSplit.replace('-', '_')}_bleu_best`]: round(summary.bestMetric ?? 0),
    steps: summary.steps,
    ...(summary.bestStep !== null && !averaged?.kept ? { best_step: summary.bestStep } : {}),
    ...averagedCard(averaged).metrics,
  };
  process.stderr.write(
    `test: ${JSON.stringify(metrics)} (in-domain greedy + beam 4: ${greedyMs.toFixed(1)} ms/sentence)\n`,
  );

  // Everything is written to a temporary folder that replaces `out` only once it is complete.
  const title = `English → ${LANG_NAMES[cfg.target] ?? cfg.target}`;
  await writeModelFolder(out, async (dir) => {
    writeFileSync(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({ joint: true, source: tok.toJSON(), sourceWords: wordList }),
    );
    await saveSeq2Seq(model, fileHandler(dir), {
      quantization: cfg.quantization,
      userDefinedMetadata: {
        task: 'translate',
        name: cfg.name,
        title,
        files: { tokenizer: 'tokenizer.json', card: 'card.md' },
        metrics: {
          bleu: metrics.test_bleu_beam4 as number,
          chrf: metrics.test_chrf_beam4 as number,
          bleu_greedy: metrics.test_bleu_greedy as number,
          ...(testApps.length ? { bleu_apps: metrics.test_apps_bleu_beam4 as number } : {}),
        },
        data: manifest
          ? `Debian gettext catalogs (${manifest.packages?.length ?? '?'} packages), ${kept} training pairs`
          : `${cfg.corpus}, ${kept} training pairs`,
        settings: {
          source: 'en',
          target: cfg.target,
          ...(cfg.lengthPenalty !== undefined ? { lengthPenalty: cfg.lengthPenalty } : {}),
        },
      } as unknown as Record<string, unknown>,
    });
    writeCard(dir, {
      name: cfg.name,
      title,
      configFile,
      config: cfg,
      modelConfig: model.config,
      metrics,
      trainSeconds,
      backend,
      trainer: trainer_,
      ...(engine ? { commandFlags: `--engine kernels --threads ${engine.threads}` } : {}),
      history,
      ...(cfg.initCommand ? { before: [cfg.initCommand] } : {}),
      data: [
        manifest
          ? `Training data: English UI strings and their ${LANG_NAMES[cfg.target] ?? cfg.target} translations from the gettext catalogs of the ${manifest.packages?.length ?? '?'} Debian packages of the corpus manifest (\`pnpm seqlab data gettext\` builds it from packages/data/lists/gettext-packages.txt, less the applications held out in packages/data/lists/gettext-held-out.txt; versions and sha256 in the manifest).`
          : `Training data: the sentence pairs of ${cfg.corpus}/en-${cfg.target} (a corpus without manifest.json: not built by \`pnpm seqlab data gettext\`, so its sources are not recorded here).`,
        `Pairs: ${train.length} train (${kept} kept at ≤ ${cfg.maxTokens} tokens), ${valid.length} ${validSplit} (chose checkpoints), ${test.length} test${testApps.length ? `, ${testApps.length} test-apps (applications in no training package)` : ''}; split by normalised English so no string spans splits.`,
        ...(manifest
          ? ['The catalogs are licensed as their packages; the corpus is never committed.']
          : []),
        ...averagedCard(averaged).lines,
        ...(cfg.lengthPenalty !== undefined
          ? [
              `Beam search length penalty α = ${cfg.lengthPenalty} (model.json settings.lengthPenalty, every pipeline's default for this model; the beam-4 metrics use it).`,
            ]
          : []),
        ...(dropout > 0
          ? [
              `BPE-dropout ${dropout} while training: every epoch both sides were segmented anew, each merge skipped with probability ${dropout} (seeded by seed and epoch); decoding uses the deterministic segmentation.`,
            ]
          : []),
        ...(cfg.init
          ? [
              `Fine-tuned from the weights and tokenizer of \`${cfg.init}\`${cfg.initCommand ? ' (trained by the first command below)' : ''}.`,
            ]
          : []),
      ],
    });
  });
  model.dispose();
  trainer.dispose();
  engine?.dispose();
  process.stderr.write(`saved ${out}\n`);
}

/** What a fine-tune may change: training-time settings only, not the shapes of the weights. */
const TRAINING_ONLY = ['dropout', 'labelSmoothing', 'seed'];

/**
 * Start `model` from the weights of a saved translator folder (float16 weights widen to float32).
 * Its architecture must equal the run's, except for dropout, label smoothing and the seed.
 *
 * @example
 * await initTranslator(model, 'models/translate-en-es');
 */
export async function initTranslator(model: Seq2Seq, dir: string): Promise<void> {
  await initWeights(model, {
    key: 'init',
    dir,
    kind: 'seqlab translator folder',
    load: async (d, where) => (await loadSeq2Seq(fileHandler(d), where)).model,
    trainingOnly: TRAINING_ONLY,
  });
}

/** The corpus manifest (packages, versions, sha256), or null for a hand-made corpus without one. */
function readManifest(corpus: string): { packages?: { name: string; version: string }[] } | null {
  const file = path.join(corpus, 'manifest.json');
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as {
      packages?: { name: string; version: string }[];
    };
  } catch (e) {
    throw new Error(
      `${file}: malformed JSON (${(e as Error).message}); expected the manifest \`seqlab data gettext\` writes, or no manifest.json at all for a hand-made corpus`,
    );
  }
}

const LANG_NAMES: Record<string, string> = { es: 'Spanish', fr: 'French', de: 'German' };

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/**
 * Adds the training sources' words (the `unseen` copy class's list) to a translator folder trained
 * before the trainer wrote them: the config's corpus and target give the training split, the same
 * list `seqlab train translate` writes. A folder that already lists other words is refused (it was
 * trained on another corpus); the same list again changes nothing. tokenizer.json is replaced
 * atomically, its tokenizer untouched.
 * @example await addSourceWords('configs/translate-en-es-h384.json') // its `out` folder
 */
export async function addSourceWords(
  configFile: string,
  modelDir?: string,
): Promise<{ file: string; words: number; changed: boolean }> {
  const cfg = readConfig(configFile, TRANSLATE_CONFIG);
  const dir = modelDir ?? fromRepo(cfg.out);
  const tokFile = path.join(dir, 'tokenizer.json');
  if (!existsSync(tokFile) || !existsSync(path.join(dir, 'model.json')))
    throw new Error(
      `${dir}: expected a translator folder with model.json and tokenizer.json (train it first, or name it with --model)`,
    );
  const tj = JSON.parse(readFileSync(tokFile, 'utf8')) as Record<string, unknown>;
  const langDir = await ensureCorpus(fromRepo(cfg.corpus), cfg.target);
  const words = sourceWords(
    (await readTsvFile(path.join(langDir, 'train.tsv'))).map((p) => p.source),
  );
  if (tj.sourceWords !== undefined) {
    if (JSON.stringify(tj.sourceWords) === JSON.stringify(words))
      return { file: tokFile, words: words.length, changed: false };
    throw new Error(
      `${tokFile} already lists ${Array.isArray(tj.sourceWords) ? tj.sourceWords.length : '?'} source words, not the ${words.length} of ${path.join(langDir, 'train.tsv')}; expected the corpus this model was trained on (nothing was changed)`,
    );
  }
  const tmp = `${tokFile}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ ...tj, sourceWords: words }));
  renameSync(tmp, tokFile);
  return { file: tokFile, words: words.length, changed: true };
}
