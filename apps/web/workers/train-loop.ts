// The run loop every in-page task shares: @seqlab/train's Trainer run in short chunks (so pause,
// stop and "try it" messages get in), chart history, and checkpoints into IndexedDB.
import { type Captioner, loadFromSource, memorySource, type Translator } from '@seqlab/models';
import { memory } from '@tensorflow/tfjs-core';
import { updateRun } from '../lib/train-idb';
import type {
  EngineInfo,
  RunState,
  StepPoint,
  StoredRunInfo,
  TrainEvent,
  TrainSettings,
  ValidPoint,
} from '../lib/train-protocol';
import type { CheckpointStore, Trainer } from './train-deps';

/** Checkpoint at most this often (steps) and at least every CHECKPOINT_MS. */
const CHECKPOINT_STEPS = 20;
const CHECKPOINT_MS = 10_000;
/** A chunk of steps between message checks aims at this many milliseconds. */
const CHUNK_MS = 150;

export abstract class TrainerRun<B, M extends Translator | Captioner> {
  state: RunState = 'preparing';
  protected stepPoints: StepPoint[] = [];
  protected validPoints: ValidPoint[] = [];
  private pending: StepPoint[] = [];
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private lastSaved = { step: 0, at: Date.now() };
  /** Serialises training chunks and decodes: a chunk reassigns the weights a decode reads. */
  private lock: Promise<unknown> = Promise.resolve();
  /** Set by the subclass once its Trainer exists. */
  protected trainer!: Trainer<B>;
  /** The exported folder loaded back through loadFromSource once the run has ended. */
  protected final: M | null = null;

  protected constructor(
    readonly task: M['task'],
    readonly settings: TrainSettings,
    readonly fileName: string,
    /** Sentence pairs or images. */
    readonly examples: number,
    readonly engineInfo: EngineInfo,
    protected readonly emit: (e: TrainEvent) => void,
  ) {}

  /** Builds the model folder of the current weights, outside the lock. */
  protected abstract writeFolder(name: string): Promise<Record<string, Uint8Array>>;
  /**
   * Called once training ended (done or stopped), before the state is reported: try-it from now
   * on goes through the exported folder, loaded the way load() loads it.
   */
  protected async finished(): Promise<void> {
    const files = await this.writeFolder('in-page-model');
    const loaded = await loadFromSource(memorySource(files, 'trained in this page'), {
      skipWarmup: true,
    });
    if (loaded.task !== this.task)
      throw new Error(`the exported folder loaded as a ${loaded.task} model`);
    this.final?.dispose();
    this.final = loaded as M;
  }

  protected exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.lock.then(fn, fn);
    this.lock = next.catch(() => undefined);
    return next;
  }

  get step(): number {
    return this.trainer.step;
  }

  /** Scores the current weights on the held-out examples at `step` (records and returns them). */
  protected abstract validate(step: number): Promise<number>;

  /** The Trainer options every task shares: the page's loop settings and these callbacks. */
  protected loopOptions() {
    const s = this.settings;
    return {
      optimizer: { lr: s.lr },
      clipNorm: s.clipNorm,
      seed: s.seed,
      maxSteps: s.steps,
      validateEvery: s.validateEvery,
      validate: (step: number) => this.validate(step),
      callbacks: { onStep: (e: StepPoint) => this.onStep(e) },
    };
  }

  /** Trainer callback: one point per step, sent to the page in batches. */
  protected onStep(e: StepPoint): void {
    const p = { step: e.step, loss: e.loss, gradNorm: e.gradNorm, tokensPerSec: e.tokensPerSec };
    this.stepPoints.push(p);
    this.pending.push(p);
  }

  private flushSteps(): void {
    if (this.pending.length) this.emit({ kind: 'steps', points: this.pending });
    this.pending = [];
  }

  /** Records held-out scores and shows them. */
  protected recordValid(point: ValidPoint): void {
    this.validPoints.push(point);
    this.flushSteps();
    this.emit({ kind: 'valid', point });
  }

  /** After a resume: the chart history up to the restored step, shown again. */
  protected restoreHistory(steps: StepPoint[], valid: ValidPoint[]): void {
    this.stepPoints = steps.filter((p) => p.step <= this.trainer.step);
    this.validPoints = valid.filter((p) => p.step <= this.trainer.step);
    this.lastSaved = { step: this.trainer.step, at: Date.now() };
  }

  /** Sends the restored history to a freshly opened page. */
  protected replayHistory(): void {
    if (this.stepPoints.length) this.emit({ kind: 'steps', points: this.stepPoints });
    for (const p of this.validPoints) this.emit({ kind: 'valid', point: p });
  }

  /** Where the Trainer writes checkpoints: the run's record in IndexedDB (one transaction). */
  protected store(load: () => Uint8Array | null = () => null): CheckpointStore {
    return {
      location: 'IndexedDB seqlab-train/checkpoints/current',
      save: async (bytes) => updateRun(this.info(), bytes),
      load: async () => load(),
    };
  }

  info(): StoredRunInfo {
    return {
      task: this.task,
      settings: this.settings,
      fileName: this.fileName,
      pairs: this.examples,
      step: this.trainer.step,
      steps: this.stepPoints,
      valid: this.validPoints,
      state: this.state,
      savedAt: new Date().toISOString(),
    };
  }

  private setState(state: RunState): void {
    this.state = state;
    const ended = state === 'done' || state === 'stopped';
    this.emit({ kind: 'state', state, ...(ended ? { tensors: memory().numTensors } : {}) });
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
      await this.exclusive(() =>
        this.trainer.run({ maxSteps: Math.min(this.settings.steps, before + chunk) }),
      );
      const done = this.trainer.step - before;
      if (done === 0) break; // nothing left to train on
      const ms = performance.now() - t0;
      chunk = Math.max(1, Math.min(200, Math.round((chunk * CHUNK_MS) / Math.max(ms, 1))));
      this.flushSteps();
      if (
        this.trainer.step - this.lastSaved.step >= CHECKPOINT_STEPS ||
        Date.now() - this.lastSaved.at >= CHECKPOINT_MS
      )
        await this.checkpoint();
      // A macrotask: control and try-it messages are handled here.
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
    await this.finished();
    this.setState(this.state);
  }

  /** The model folder of the current weights. */
  folder(name: string): Promise<Record<string, Uint8Array>> {
    return this.exclusive(() => this.writeFolder(name));
  }

  /** Stops training and frees every tensor and worker of the run. */
  abstract dispose(): void;

  protected stop(): void {
    this.control('stop');
  }
}
