// Messages between /train and its worker (workers/train.worker.ts), and the run settings with their limits.

/** Model sizes offered in the page (widths are multiples of 4, as the kernels need). */
export const MODEL_SIZES = {
  tiny: { embDim: 32, hidden: 64, encoderHidden: 32 },
  small: { embDim: 64, hidden: 128, encoderHidden: 64 },
  medium: { embDim: 128, hidden: 256, encoderHidden: 128 },
} as const;
export type ModelSize = keyof typeof MODEL_SIZES;

/** What the user chooses before training (one comment per field). */
export interface TrainSettings {
  /** Model width preset. */
  size: ModelSize;
  /** Optimisation steps in total (a resumed run counts the steps already done). */
  steps: number;
  /** Adam learning rate. */
  lr: number;
  /** Global gradient-norm clipping threshold. */
  clipNorm: number;
  /** Sentence pairs per step. */
  batchSize: number;
  /** Joint BPE vocabulary size. */
  vocabSize: number;
  /** Validate (BLEU, chrF on held-out pairs) every this many steps. */
  validateEvery: number;
  /** Seed of the split, the weights, the batch order and dropout. */
  seed: number;
  /** Language labels for the model card (free text). */
  source: string;
  target: string;
}

export const DEFAULT_SETTINGS: TrainSettings = {
  size: 'small',
  steps: 300,
  lr: 0.003,
  clipNorm: 5,
  batchSize: 32,
  vocabSize: 800,
  validateEvery: 50,
  seed: 1,
  source: 'en',
  target: 'xx',
};

const RANGES: Record<
  Exclude<keyof TrainSettings, 'size' | 'source' | 'target'>,
  [number, number, boolean]
> = {
  steps: [1, 100_000, true],
  lr: [1e-5, 0.1, false],
  clipNorm: [0.1, 100, false],
  batchSize: [1, 256, true],
  vocabSize: [40, 8_000, true],
  validateEvery: [1, 10_000, true],
  seed: [0, 2 ** 31 - 1, true],
};

/** Checks settings from the form (or IndexedDB); errors name the field, the range and the value. */
export function checkSettings(s: TrainSettings): string[] {
  const errors: string[] = [];
  if (!Object.hasOwn(MODEL_SIZES, s.size))
    errors.push(
      `model size: expected one of ${Object.keys(MODEL_SIZES).join(', ')}, got ${JSON.stringify(s.size)}`,
    );
  for (const [k, [lo, hi, int]] of Object.entries(RANGES)) {
    const v = s[k as keyof typeof RANGES];
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      v < lo ||
      v > hi ||
      (int && !Number.isInteger(v))
    )
      errors.push(
        `${k}: expected ${int ? 'an integer' : 'a number'} in ${lo}..${hi}, got ${JSON.stringify(v)}`,
      );
  }
  for (const k of ['source', 'target'] as const)
    if (typeof s[k] !== 'string' || !/^[\p{L}\p{N} _-]{1,32}$/u.test(s[k]))
      errors.push(
        `${k} language: expected 1–32 letters, digits, spaces, - or _, got ${JSON.stringify(s[k])}`,
      );
  return errors;
}

/** One point of the live charts. */
export interface StepPoint {
  step: number;
  loss: number;
  gradNorm: number;
  tokensPerSec: number;
}
/** Held-out scores at a step: BLEU and chrF (translation), exact match and BLEU (captions). */
export interface ValidPoint {
  step: number;
  scores: Record<string, number>;
}

export type TrainTask = 'translate' | 'caption' | 'series';

/** LSTM units of the forecaster per model size. */
export const SERIES_UNITS: Record<ModelSize, number> = { tiny: 8, small: 16, medium: 32 };

/** A time-series run: the values of the chosen column and how the last ones are held out. */
export interface SeriesRequest {
  values: number[];
  column: string;
  /** Steps held out at the end and forecast. */
  horizon: number;
  /** Season length in steps (12 for monthly data, 7 for daily, 1 for none). */
  period: number;
}

/** The held-out forecast at the end of a time-series run. */
export interface ForecastView {
  values: number[];
  split: number;
  mean: number[];
  lower: number[];
  upper: number[];
  naive: number[];
  maeModel: number;
  maeNaive: number;
}

/** Caption model sizes (the CNN's channels and strides, the decoder's widths); images are 64 px. */
export const CAPTION_SIZES = {
  tiny: { channels: [16, 32, 48], strides: [2, 2, 2], embDim: 32, hidden: 64, attentionDim: 32 },
  small: {
    channels: [16, 32, 64, 64],
    strides: [2, 2, 2, 1],
    embDim: 48,
    hidden: 128,
    attentionDim: 64,
  },
  medium: { channels: [32, 64, 96], strides: [2, 2, 2], embDim: 64, hidden: 192, attentionDim: 96 },
} as const satisfies Record<ModelSize, unknown>;

/** Side in pixels every caption image is resized to in the page (its centre square). */
export const CAPTION_IMAGE_SIZE = 64;

/** One captioned image as the worker trains on it: RGBA of CAPTION_IMAGE_SIZE² pixels. */
export interface CaptionTrainItem {
  file: string;
  rgba: Uint8Array;
  captions: string[];
}

/** Which compute path trains (shown in the page). */
export interface EngineInfo {
  name: 'kernels' | 'tfjs';
  threads: number;
  detail: string;
}

export type RunState = 'idle' | 'preparing' | 'running' | 'paused' | 'stopped' | 'done' | 'error';

/** A run kept in IndexedDB (the page shows it after a reload). */
export interface StoredRunInfo {
  task: TrainTask;
  settings: TrainSettings;
  fileName: string;
  pairs: number;
  step: number;
  steps: StepPoint[];
  valid: ValidPoint[];
  state: RunState;
  savedAt: string;
}

export type TrainRequestBody =
  | {
      type: 'start';
      settings: TrainSettings;
      fileName: string;
      pairs: { source: string; target: string }[];
    }
  | {
      type: 'start-caption';
      settings: TrainSettings;
      fileName: string;
      items: CaptionTrainItem[];
    }
  | {
      type: 'start-series';
      settings: TrainSettings;
      fileName: string;
      series: SeriesRequest;
    }
  | { type: 'resume-stored' }
  | { type: 'stored' }
  | { type: 'discard-stored' }
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  | { type: 'translate'; text: string }
  | { type: 'caption'; image: { width: number; height: number; data: Uint8ClampedArray } }
  | { type: 'export'; name: string }
  | { type: 'save-model'; name: string };
export type TrainRequest = TrainRequestBody & { id: number };

export type TrainEvent =
  /** `tensors`: tf.memory().numTensors in the worker when a run ends (a leak check). */
  | { kind: 'state'; state: RunState; message?: string; tensors?: number }
  | { kind: 'prepared'; engine: EngineInfo; backend: string; summary: string; step: number }
  | { kind: 'steps'; points: StepPoint[] }
  | { kind: 'valid'; point: ValidPoint }
  | { kind: 'checkpoint'; step: number; bytes: number }
  | { kind: 'forecast'; forecast: ForecastView };

export type TrainReply =
  | { id: number; type: 'event'; event: TrainEvent }
  | { id: number; type: 'ok' }
  | { id: number; type: 'stored'; run: StoredRunInfo | null }
  | { id: number; type: 'translate'; text: string; ms: number }
  | { id: number; type: 'caption'; text: string; ms: number }
  | { id: number; type: 'export'; zip: Uint8Array; files: string[] }
  | { id: number; type: 'error'; message: string };
