// A captioning run in the /train worker: images (already resized to 64 px in the page) with their
// captions → word vocabulary → CaptionModel (small CNN + attention LSTM decoder), trained by
// @seqlab/train's Trainer with tfjs trainStep and validated by exact match through the captioner
// pipeline on held-out images.
import { type Captioner, CaptionerPipeline } from '@seqlab/models';
import { captionText, captionTokens, corpusBleu, Rng, Vocab } from '@seqlab/text';
import { loadCheckpoint } from '../lib/train-idb';
import {
  CAPTION_IMAGE_SIZE,
  CAPTION_SIZES,
  type CaptionTrainItem,
  type EngineInfo,
  type StepPoint,
  type TrainEvent,
  type TrainSettings,
  type ValidPoint,
} from '../lib/train-protocol';
import {
  type CaptionBatch,
  CaptionModel,
  captionerFolder,
  ImageBatchSource,
  type ModelFiles,
  Trainer,
} from './train-deps';
import { TrainerRun } from './train-loop';

const CARD = {
  name: 'in-page',
  task: 'caption' as const,
  title: '',
  metrics: {},
  sizeBytes: 0,
  markdown: '',
  data: '',
};

/** Seeded split: 10% of the images (at most 50, at least 1) are held out for exact match. */
function split(items: CaptionTrainItem[], seed: number) {
  const order = new Rng(seed).shuffle(items.map((_, i) => i));
  const n = Math.max(1, Math.min(50, Math.floor(items.length * 0.1)));
  const pick = (ids: number[]) => ids.map((i) => items[i] as CaptionTrainItem);
  return { valid: pick(order.slice(0, n)), train: pick(order.slice(n)) };
}

export class CaptionRun extends TrainerRun<CaptionBatch, Captioner> {
  private readonly live: CaptionerPipeline;

  private constructor(
    settings: TrainSettings,
    fileName: string,
    images: number,
    private readonly model: CaptionModel,
    private readonly vocab: Vocab,
    private readonly known: string[],
    private readonly trainItems: CaptionTrainItem[],
    private readonly valid: CaptionTrainItem[],
    engineInfo: EngineInfo,
    emit: (e: TrainEvent) => void,
  ) {
    super('caption', settings, fileName, images, engineInfo, emit);
    this.live = new CaptionerPipeline(CARD, model, vocab, known, null);
    this.trainer = new Trainer<CaptionBatch>({
      model,
      data: new ImageBatchSource(trainItems, vocab, {
        seed: settings.seed,
        batchSize: settings.batchSize,
        maxShift: 2,
        size: CAPTION_IMAGE_SIZE,
      }),
      ...this.loopOptions(),
    });
  }

  static async create(o: {
    settings: TrainSettings;
    fileName: string;
    items: CaptionTrainItem[];
    resume: { steps: StepPoint[]; valid: ValidPoint[] } | null;
    backend: string;
    emit: (e: TrainEvent) => void;
  }): Promise<CaptionRun> {
    const s = o.settings;
    for (const it of o.items)
      if (it.rgba.length !== CAPTION_IMAGE_SIZE * CAPTION_IMAGE_SIZE * 4)
        throw new Error(
          `${it.file}: expected ${CAPTION_IMAGE_SIZE}×${CAPTION_IMAGE_SIZE} RGBA pixels, got ${it.rgba.length} values`,
        );
    const { train, valid } = split(o.items, s.seed);
    const vocab = Vocab.build(train.flatMap((it) => it.captions.map(captionTokens)));
    // As the decoder writes them (tokenised and joined back), sorted, each once.
    const known = [
      ...new Set(train.flatMap((it) => it.captions.map((c) => captionText(captionTokens(c))))),
    ].sort();
    const model = new CaptionModel({
      ...CAPTION_SIZES[s.size],
      channels: [...CAPTION_SIZES[s.size].channels],
      strides: [...CAPTION_SIZES[s.size].strides],
      vocab: vocab.size,
      imageSize: CAPTION_IMAGE_SIZE,
      attention: 'additive',
      positional: 'coords',
      maxLen: 24,
      seed: s.seed,
    });
    const engine: EngineInfo = {
      name: 'tfjs',
      threads: 1,
      detail:
        "@seqlab/train trainStep on tfjs (the kernels' training step covers the translation model only)",
    };
    const run = new CaptionRun(
      s,
      o.fileName,
      o.items.length,
      model,
      vocab,
      known,
      train,
      valid,
      engine,
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
      engine,
      backend: o.backend,
      step: run.trainer.step,
      summary: `${o.items.length} images: ${train.length} to train on, ${valid.length} held out; ${vocab.size} words; ${known.length} distinct captions`,
    });
    run.replayHistory();
    return run;
  }

  /** Exact match (the caption is one of the references) and BLEU on the held-out images. */
  protected async validate(step: number): Promise<number> {
    const hyps: string[] = [];
    for (const it of this.valid) {
      const image = { width: CAPTION_IMAGE_SIZE, height: CAPTION_IMAGE_SIZE, data: it.rgba };
      hyps.push((await this.live.caption(image)).text);
    }
    const norm = (c: string) => captionText(captionTokens(c));
    const exact =
      hyps.filter((h, i) => this.valid[i]?.captions.map(norm).includes(h)).length / hyps.length;
    const refs = this.valid.map((it) => norm(it.captions[0] as string));
    const scores = { 'exact match': exact * 100, BLEU: corpusBleu(hyps, [refs]).score };
    this.recordValid({ step, scores });
    return exact;
  }

  protected async writeFolder(name: string): Promise<ModelFiles> {
    const s = this.settings;
    const last = this.validPoints.at(-1);
    const metrics: Record<string, number> = last
      ? {
          exact: round((last.scores['exact match'] ?? 0) / 100),
          bleu4: round(last.scores.BLEU ?? 0),
        }
      : {};
    const card = [
      `# ${name}`,
      '',
      `An image captioner trained in the seqlab web app (/train) on ${this.fileName}.`,
      '',
      `- Data: ${this.examples} images, each cut to its centre square and resized to ${CAPTION_IMAGE_SIZE} px; ${this.trainItems.length} for training, ${this.valid.length} held out (seed ${s.seed}); ${this.vocab.size} words.`,
      `- Model: ${s.size} (${JSON.stringify(CAPTION_SIZES[s.size])}), CNN features with additive attention, LSTM decoder.`,
      `- Training: ${this.trainer.step} of ${s.steps} steps, batch ${s.batchSize}, Adam lr ${s.lr}, clip ${s.clipNorm}; ${this.engineInfo.detail}.`,
      last
        ? `- Held-out at step ${last.step}: exact match ${metrics.exact}, BLEU ${metrics.bleu4}.`
        : '- Not validated yet.',
      '',
    ].join('\n');
    return captionerFolder(this.model, this.vocab, this.known, {
      name,
      data: `${this.fileName}, ${this.examples} images`,
      metrics,
      card,
    });
  }

  /** Greedy caption of RGBA pixels of any size (the pipeline resizes to the model's input). */
  caption(image: { width: number; height: number; data: Uint8ClampedArray }): Promise<string> {
    return this.exclusive(async () => (await (this.final ?? this.live).caption(image)).text);
  }

  dispose(): void {
    this.stop();
    this.final?.dispose();
    this.live.dispose(); // disposes the model
    this.trainer.dispose();
  }
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
