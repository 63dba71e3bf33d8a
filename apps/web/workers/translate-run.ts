// A translation run in the /train worker: sentence pairs → joint BPE → Seq2Seq, each step on
// @seqlab/kernels' KernelTrainStep (tfjs trainStep without WebAssembly SIMD), validated by BLEU
// and chrF through the shipped translation pipeline.
import { type Translator, TranslatorPipeline } from '@seqlab/models';
import { corpusBleu, corpusChrf } from '@seqlab/text';
import { loadCheckpoint } from '../lib/train-idb';
import {
  type EngineInfo,
  MODEL_SIZES,
  type StepPoint,
  type TrainEvent,
  type TrainSettings,
  type ValidPoint,
} from '../lib/train-protocol';
import {
  ArrayBatchSource,
  KernelTrainStep,
  type ModelFiles,
  type PreparedTranslation,
  prepareTranslation,
  Seq2Seq,
  Trainer,
  trainKernelSupport,
  translatorFolder,
  webSpawn,
} from './train-deps';
import { TrainerRun } from './train-loop';

/** Longest pair side in tokens (EOS included) that is trained on. */
const MAX_TOKENS = 48;

/** The card of the pipeline around the model in training (never shown). */
const CARD = {
  name: 'in-page',
  task: 'translate' as const,
  title: '',
  metrics: {},
  sizeBytes: 0,
  markdown: '',
  data: '',
};

type Batch = PreparedTranslation['batches'][number];

/** The compute path: seqlab's kernels (threads where the page is cross-origin isolated), else tfjs. */
async function makeEngine(model: Seq2Seq, s: TrainSettings) {
  const support = trainKernelSupport();
  if (!support.simd)
    return {
      engine: null,
      info: {
        name: 'tfjs',
        threads: 1,
        detail: 'this browser has no WebAssembly SIMD, so @seqlab/train trainStep on tfjs',
      } satisfies EngineInfo,
    };
  const isolated = (self as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const threads =
    isolated && support.shared ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1;
  const engine = await KernelTrainStep.create(model.config, model.params.read(), {
    threads,
    ...(threads > 1 ? { spawn: webSpawn } : {}),
    lr: s.lr,
    clipNorm: s.clipNorm,
    seed: s.seed,
  });
  const why = isolated
    ? `${threads} threads (cross-origin isolated page)`
    : '1 thread: this page is not cross-origin isolated, so no shared memory for more';
  return {
    engine,
    info: {
      name: 'kernels',
      threads,
      detail: `@seqlab/kernels KernelTrainStep, WebAssembly SIMD${support.relaxed ? ' + relaxed FMA' : ''}, ${why}`,
    } satisfies EngineInfo,
  };
}

export class TranslateRun extends TrainerRun<Batch, Translator> {
  private readonly live: TranslatorPipeline;

  private constructor(
    settings: TrainSettings,
    fileName: string,
    pairs: number,
    private readonly prep: PreparedTranslation,
    private readonly model: Seq2Seq,
    private readonly engine: KernelTrainStep | null,
    engineInfo: EngineInfo,
    emit: (e: TrainEvent) => void,
  ) {
    super('translate', settings, fileName, pairs, engineInfo, emit);
    const langs = { source: settings.source, target: settings.target };
    this.live = new TranslatorPipeline(
      CARD,
      langs,
      model,
      prep.tokenizer,
      prep.tokenizer,
      null,
      undefined,
      new Set(prep.sourceWords),
    );
    this.trainer = new Trainer<Batch>({
      model,
      data: new ArrayBatchSource(prep.batches, { shuffle: true, seed: settings.seed }),
      ...(engine ? { engine } : {}),
      ...this.loopOptions(),
    });
  }

  /** Prepares data, model, engine and trainer; with `resume`, restores the stored checkpoint. */
  static async create(o: {
    settings: TrainSettings;
    fileName: string;
    pairs: { source: string; target: string }[];
    resume: { steps: StepPoint[]; valid: ValidPoint[] } | null;
    /** The tfjs backend, as shown in the page. */
    backend: string;
    emit: (e: TrainEvent) => void;
  }): Promise<TranslateRun> {
    const s = o.settings;
    // Deterministic from (pairs, settings): a resumed run rebuilds the same tokenizer and batches.
    const prep = prepareTranslation(o.pairs, {
      vocabSize: s.vocabSize,
      maxTokens: MAX_TOKENS,
      batchSize: s.batchSize,
      validFraction: 0.1,
      maxValid: 50,
      seed: s.seed,
    });
    const v = prep.tokenizer.vocabSize;
    const model = new Seq2Seq({
      ...MODEL_SIZES[s.size],
      srcVocab: v,
      tgtVocab: v,
      encoderLayers: 1,
      decoderLayers: 1,
      bidirectional: true,
      attention: 'dot',
      inputFeeding: false,
      dropout: 0.1,
      labelSmoothing: 0.1,
      maxLen: 64,
      seed: s.seed,
    });
    let made: Awaited<ReturnType<typeof makeEngine>>;
    try {
      made = await makeEngine(model, s);
    } catch (e) {
      model.dispose();
      throw e;
    }
    const run = new TranslateRun(
      s,
      o.fileName,
      o.pairs.length,
      prep,
      model,
      made.engine,
      made.info,
      o.emit,
    );
    if (o.resume) {
      const bytes = await loadCheckpoint();
      if (bytes) {
        await run.trainer.resume(run.store(() => bytes));
        run.restoreHistory(o.resume.steps, o.resume.valid);
      }
    }
    o.emit({
      kind: 'prepared',
      engine: made.info,
      backend: o.backend,
      step: run.trainer.step,
      summary: `${o.pairs.length} pairs: ${prep.trainPairs} to train on (${prep.keptPairs} of at most ${MAX_TOKENS} tokens), ${prep.valid.length} held out; ${prep.batches.length} batches of ${s.batchSize}; joint BPE vocabulary ${v}; ${model.params.names().length} weight tensors`,
    });
    run.replayHistory();
    return run;
  }

  /** BLEU and chrF of greedy translations of the held-out pairs through the shipped pipeline. */
  protected async validate(step: number): Promise<number> {
    const src = this.prep.valid.map((p) => p.source);
    const ref = [this.prep.valid.map((p) => p.target)];
    const hyp = (await this.live.translateBatch(src, { beam: 1 })).map((t) => t.text);
    const scores = { BLEU: corpusBleu(hyp, ref).score, chrF: corpusChrf(hyp, ref) };
    this.recordValid({ step, scores });
    return scores.BLEU;
  }

  protected async writeFolder(name: string): Promise<ModelFiles> {
    const s = this.settings;
    const last = this.validPoints.at(-1);
    const metrics: Record<string, number> = last
      ? { bleu: round(last.scores.BLEU ?? 0), chrf: round(last.scores.chrF ?? 0) }
      : {};
    const card = [
      `# ${name}`,
      '',
      `A ${s.source} → ${s.target} translator trained in the seqlab web app (/train) on ${this.fileName}.`,
      '',
      `- Data: ${this.examples} pairs; ${this.prep.trainPairs} for training (${this.prep.keptPairs} of at most ${MAX_TOKENS} tokens), ${this.prep.valid.length} held out (seed ${s.seed}).`,
      `- Model: ${s.size} (${JSON.stringify(MODEL_SIZES[s.size])}), bidirectional LSTM encoder, dot attention, joint BPE of ${this.prep.tokenizer.vocabSize} pieces.`,
      `- Training: ${this.trainer.step} of ${s.steps} steps, batch ${s.batchSize}, Adam lr ${s.lr}, clip ${s.clipNorm}; ${this.engineInfo.detail}.`,
      last
        ? `- Held-out (greedy, ${this.prep.valid.length} pairs) at step ${last.step}: BLEU ${metrics.bleu}, chrF ${metrics.chrf}.`
        : '- Not validated yet.',
      '',
    ].join('\n');
    return translatorFolder(this.model, this.prep.tokenizer, {
      name,
      source: s.source,
      target: s.target,
      data: `${this.fileName}, ${this.examples} sentence pairs`,
      metrics,
      card,
      sourceWords: this.prep.sourceWords,
    });
  }

  /** Greedy translation: through the exported folder once the run ended, else the live weights. */
  translate(text: string): Promise<string> {
    return this.exclusive(async () => {
      const t = this.final ?? this.live;
      return (await t.translate(text, { beam: 1 })).text;
    });
  }

  dispose(): void {
    this.stop();
    this.final?.dispose();
    this.live.dispose(); // disposes the model
    this.trainer.dispose();
    this.engine?.dispose();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
