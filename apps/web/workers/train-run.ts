// One translation run in the /train worker: @seqlab/train's Trainer on the data the page validated,
// stepping on @seqlab/kernels' KernelTrainStep, run in short chunks so pause, stop and "try it"
// messages get in; checkpoints and chart history go to IndexedDB so a reloaded tab resumes.

import type { Translator } from '@seqlab/models';
import { loadFromSource, memorySource, TranslatorPipeline } from '@seqlab/models';
import { corpusBleu, corpusChrf } from '@seqlab/text';
import { memory } from '@tensorflow/tfjs-core';
import { loadCheckpoint, updateRun } from '../lib/train-idb';
import {
  type EngineInfo,
  MODEL_SIZES,
  type RunState,
  type StepPoint,
  type StoredRunInfo,
  type TrainEvent,
  type TrainSettings,
  type ValidPoint,
} from '../lib/train-protocol';
import {
  ArrayBatchSource,
  type CheckpointStore,
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

/** Longest pair side in tokens (EOS included) that is trained on. */
const MAX_TOKENS = 48;
/** Checkpoint at most this often (steps) and at least every CHECKPOINT_MS. */
const CHECKPOINT_STEPS = 20;
const CHECKPOINT_MS = 10_000;
/** A chunk of steps between message checks aims at this many milliseconds. */
const CHUNK_MS = 150;

const CARD = {
  name: 'in-page',
  task: 'translate' as const,
  title: '',
  metrics: {},
  sizeBytes: 0,
  markdown: '',
  data: '',
};

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

export class TranslateRun {
  state: RunState = 'preparing';
  private stepPoints: StepPoint[] = [];
  private validPoints: ValidPoint[] = [];
  private pending: StepPoint[] = [];
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private lastSaved = { step: 0, at: Date.now() };
  private live: TranslatorPipeline;
  /** The exported folder loaded back through loadFromSource once the run has ended. */
  private final: { files: ModelFiles; translator: Translator } | null = null;
  /** Serialises training chunks and translations: a chunk reassigns the weights a decode reads. */
  private lock: Promise<unknown> = Promise.resolve();

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  private constructor(
    readonly settings: TrainSettings,
    readonly fileName: string,
    readonly pairs: number,
    private readonly prep: PreparedTranslation,
    private readonly model: Seq2Seq,
    private readonly engine: KernelTrainStep | null,
    readonly engineInfo: EngineInfo,
    private readonly trainer: Trainer<PreparedTranslation['batches'][number]>,
    private readonly emit: (e: TrainEvent) => void,
  ) {
    this.live = new TranslatorPipeline(
      CARD,
      { source: settings.source, target: settings.target },
      model,
      prep.tokenizer,
      prep.tokenizer,
      null,
    );
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
    const holder: { run: TranslateRun | null } = { run: null };
    const trainer = new Trainer<PreparedTranslation['batches'][number]>({
      model,
      data: new ArrayBatchSource(prep.batches, { shuffle: true, seed: s.seed }),
      ...(made.engine ? { engine: made.engine } : {}),
      optimizer: { lr: s.lr },
      clipNorm: s.clipNorm,
      seed: s.seed,
      maxSteps: s.steps,
      validateEvery: s.validateEvery,
      validate: (step) => (holder.run as TranslateRun).validate(step),
      callbacks: {
        onStep: (e) => holder.run?.onStep(e),
      },
    });
    const run = new TranslateRun(
      s,
      o.fileName,
      o.pairs.length,
      prep,
      model,
      made.engine,
      made.info,
      trainer,
      o.emit,
    );
    holder.run = run;
    if (o.resume) {
      const bytes = await loadCheckpoint();
      if (bytes) {
        await trainer.resume(run.store(() => bytes));
        run.stepPoints = o.resume.steps.filter((p) => p.step <= trainer.step);
        run.validPoints = o.resume.valid.filter((p) => p.step <= trainer.step);
        run.lastSaved = { step: trainer.step, at: Date.now() };
      }
    }
    o.emit({
      kind: 'prepared',
      engine: made.info,
      backend: o.backend,
      step: trainer.step,
      summary: `${o.pairs.length} pairs: ${prep.trainPairs} to train on (${prep.keptPairs} of at most ${MAX_TOKENS} tokens), ${prep.valid.length} held out; ${prep.batches.length} batches of ${s.batchSize}; joint BPE vocabulary ${v}; ${model.params.names().length} weight tensors`,
    });
    if (run.stepPoints.length) o.emit({ kind: 'steps', points: run.stepPoints });
    for (const p of run.validPoints) o.emit({ kind: 'valid', point: p });
    return run;
  }

  get step(): number {
    return this.trainer.step;
  }

  private onStep(e: { step: number; loss: number; gradNorm: number; tokensPerSec: number }): void {
    const p = { step: e.step, loss: e.loss, gradNorm: e.gradNorm, tokensPerSec: e.tokensPerSec };
    this.stepPoints.push(p);
    this.pending.push(p);
  }

  private flushSteps(): void {
    if (this.pending.length) this.emit({ kind: 'steps', points: this.pending });
    this.pending = [];
  }

  /** BLEU and chrF of greedy translations of the held-out pairs through the shipped pipeline. */
  private async validate(step: number): Promise<number> {
    const src = this.prep.valid.map((p) => p.source);
    const ref = [this.prep.valid.map((p) => p.target)];
    const hyp = (await this.live.translateBatch(src, { beam: 1 })).map((t) => t.text);
    const point = { step, bleu: corpusBleu(hyp, ref).score, chrf: corpusChrf(hyp, ref) };
    this.validPoints.push(point);
    this.flushSteps();
    this.emit({ kind: 'valid', point });
    return point.bleu;
  }

  /** Where the Trainer writes checkpoints: the run's record in IndexedDB (one transaction). */
  private store(load: () => Uint8Array | null = () => null): CheckpointStore {
    return {
      location: 'IndexedDB seqlab-train/checkpoints/current',
      save: async (bytes) => updateRun(this.info(), bytes),
      load: async () => load(),
    };
  }

  info(): StoredRunInfo {
    return {
      settings: this.settings,
      fileName: this.fileName,
      pairs: this.pairs,
      step: this.trainer.step,
      steps: this.stepPoints,
      valid: this.validPoints,
      state: this.state,
      savedAt: new Date().toISOString(),
    };
  }

  private setState(state: RunState, message?: string): void {
    this.state = state;
    this.emit({ kind: 'state', state, ...(message ? { message } : {}) });
  }

  private async checkpoint(): Promise<void> {
    await this.trainer.save(this.store());
    this.lastSaved = { step: this.trainer.step, at: Date.now() };
    this.emit({ kind: 'checkpoint', step: this.trainer.step, bytes: 0 });
  }

  control(action: 'pause' | 'resume' | 'stop'): void {
    if (action === 'stop') this.stopped = true;
    this.paused = action === 'pause';
    if (!this.paused) {
      this.wake?.();
      this.wake = null;
    }
  }

  /** Trains to settings.steps in chunks; checkpoints as it goes and when paused or stopped. */
  async train(): Promise<void> {
    this.setState('running');
    let chunk = 1;
    while (this.trainer.step < this.settings.steps && !this.stopped) {
      const t0 = performance.now();
      const before = this.trainer.step;
      const summary = await this.exclusive(() =>
        this.trainer.run({ maxSteps: Math.min(this.settings.steps, before + chunk) }),
      );
      const ms = performance.now() - t0;
      const done = this.trainer.step - before;
      if (done > 0)
        chunk = Math.max(1, Math.min(200, Math.round((chunk * CHUNK_MS) / Math.max(ms, 1))));
      if (done === 0 && summary.steps === before) break; // nothing left to train on
      this.flushSteps();
      if (
        this.trainer.step - this.lastSaved.step >= CHECKPOINT_STEPS ||
        Date.now() - this.lastSaved.at >= CHECKPOINT_MS
      )
        await this.checkpoint();
      // A macrotask: control and translate messages are handled here.
      await new Promise((r) => setTimeout(r, 0));
      if (this.paused && !this.stopped) {
        this.setState('paused');
        await this.checkpoint();
        while (this.paused && !this.stopped) await new Promise<void>((r) => (this.wake = r));
        if (!this.stopped) this.setState('running');
      }
    }
    this.flushSteps();
    this.state = this.stopped ? 'stopped' : 'done';
    await this.checkpoint();
    // Try-it from now on goes through the exported folder, loaded the way load() loads it.
    const files = await this.writeFolder('in-page-model');
    const loaded = await loadFromSource(memorySource(files, 'trained in this page'), {
      skipWarmup: true,
    });
    if (loaded.task !== 'translate')
      throw new Error(`the exported folder loaded as a ${loaded.task} model`);
    this.final?.translator.dispose();
    this.final = { files, translator: loaded };
    this.setState(this.state);
  }

  /** The model folder of the current weights (model.json, shard, tokenizer.json, card.md). */
  folder(name: string): Promise<ModelFiles> {
    return this.exclusive(() => this.writeFolder(name));
  }

  private async writeFolder(name: string): Promise<ModelFiles> {
    const s = this.settings;
    const last = this.validPoints.at(-1);
    const metrics: Record<string, number> = last
      ? { bleu: round(last.bleu), chrf: round(last.chrf) }
      : {};
    const card = [
      `# ${name}`,
      '',
      `A ${s.source} → ${s.target} translator trained in the seqlab web app (/train) on ${this.fileName}.`,
      '',
      `- Data: ${this.pairs} pairs; ${this.prep.trainPairs} for training (${this.prep.keptPairs} of at most ${MAX_TOKENS} tokens), ${this.prep.valid.length} held out (seed ${s.seed}).`,
      `- Model: ${s.size} (${JSON.stringify(MODEL_SIZES[s.size])}), bidirectional LSTM encoder, dot attention, joint BPE of ${this.prep.tokenizer.vocabSize} pieces.`,
      `- Training: ${this.trainer.step} of ${s.steps} steps, batch ${s.batchSize}, Adam lr ${s.lr}, clip ${s.clipNorm}; ${this.engineInfo.detail}.`,
      last
        ? `- Held-out (greedy, ${this.prep.valid.length} pairs) at step ${last.step}: BLEU ${last.bleu.toFixed(2)}, chrF ${last.chrf.toFixed(2)}.`
        : '- Not validated yet.',
      '',
    ].join('\n');
    return translatorFolder(this.model, this.prep.tokenizer, {
      name,
      source: s.source,
      target: s.target,
      data: `${this.fileName}, ${this.pairs} sentence pairs`,
      metrics,
      card,
    });
  }

  /** Greedy translation: through the exported folder once the run ended, else the live weights. */
  async translate(text: string): Promise<string> {
    return this.exclusive(async () => {
      const t = this.final?.translator ?? this.live;
      return (await t.translate(text, { beam: 1 })).text;
    });
  }

  /** Frees the model, the engine, the trainer and any loaded folder. */
  dispose(): void {
    this.control('stop');
    this.final?.translator.dispose();
    this.live.dispose(); // disposes the model
    this.trainer.dispose();
    this.engine?.dispose();
  }

  tensors(): number {
    return memory().numTensors;
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
