// Trainer contracts: the resumable batch source, callback events, options and the run summary.

import type { TrainableModel } from '@seqlab/seq2seq';
import type { AdamConfig } from './adam';
import type { CheckpointStore } from './checkpoint';

/** A resumable stream of batches. Positions must be plain JSON. */
export interface BatchSource<B> {
  /** Next batch of the current epoch, or null when the epoch is over. */
  next(): B | null;
  /** Begin epoch `epoch` (e.g. reshuffle deterministically from it). */
  startEpoch(epoch: number): void;
  getPosition(): unknown;
  setPosition(position: unknown): void;
}

export interface StepEvent {
  step: number;
  epoch: number;
  loss: number;
  gradNorm: number;
  tokensPerSec: number;
  lr: number;
}
export interface EpochEvent {
  epoch: number;
  step: number;
  meanLoss: number;
}
export interface ValidationEvent {
  step: number;
  epoch: number;
  metric: number;
  best: number;
  improved: boolean;
}
export interface CheckpointEvent {
  step: number;
  location: string;
  bytes: number;
}
export interface NonFiniteEvent {
  step: number;
  loss: number;
  gradNorm: number;
  newLr: number;
}

export interface TrainerCallbacks {
  onStep?(e: StepEvent): void;
  onEpoch?(e: EpochEvent): void;
  onValidation?(e: ValidationEvent): void;
  onCheckpoint?(e: CheckpointEvent): void;
  /** A step was skipped because loss or gradients were NaN/Inf; the learning rate was lowered. */
  onNonFinite?(e: NonFiniteEvent): void;
}

/**
 * A training step that runs outside the model's tensors and keeps its own weights and Adam
 * moments; @seqlab/kernels' KernelTrainStep (multi-core WebAssembly) fits as is. Build it from
 * the model's config and `model.params.read()` with the trainer's lr and clipNorm.
 */
export interface TrainEngine<B> {
  /** The learning rate of the next step (the trainer sets it from its optimizer before each step). */
  lr: number;
  step(batch: B): { loss: number; gradNorm: number; skipped: boolean; lr: number };
  weights(): Record<string, Float32Array>;
  setWeights(weights: Record<string, ArrayLike<number>>): void;
  adamState(): {
    iterations: number;
    m: Record<string, Float32Array>;
    v: Record<string, Float32Array>;
  };
  setAdamState(state: {
    iterations: number;
    m: Record<string, ArrayLike<number>>;
    v: Record<string, ArrayLike<number>>;
  }): void;
}

export interface TrainerOptions<B> {
  model: TrainableModel<B>;
  data: BatchSource<B>;
  /**
   * Opt-in: run each step on this engine instead of trainStep on the model's tensors. The
   * trainer copies its weights into the model before validation, checkpoints and the end of a
   * run, and checkpoints (and restores) its Adam moments.
   */
  engine?: TrainEngine<B>;
  optimizer?: Partial<AdamConfig>;
  /** Global-norm gradient clipping threshold. */
  clipNorm?: number;
  /** Learning-rate factor applied after a non-finite step. */
  nonFiniteLrFactor?: number;
  /** Abort after this many consecutive non-finite steps. */
  maxNonFiniteInRow?: number;
  /** Stop after this many epochs (default: unlimited when maxSteps is set, else 1). */
  epochs?: number;
  /** Stop after this many optimisation steps in total (resumed steps count). */
  maxSteps?: number;
  /** Wall-clock budget: stop (after the current step) once Date.now() passes this time in ms. */
  deadline?: number;
  /** Seed of the trainer's RNG (dropout seeds). */
  seed?: number;
  /** Validation metric computed by the caller (e.g. BLEU); the trainer records it. */
  validate?: (step: number) => number | Promise<number>;
  /** Validate every N steps; by default at the end of each epoch. */
  validateEvery?: number;
  /** Whether a larger metric is better. Default 'max' (BLEU). */
  metricMode?: 'max' | 'min';
  /**
   * Stop when the metric has not improved by `minDelta` for `patience` validations,
   * or as soon as it reaches `target` (≥ in 'max' mode, ≤ in 'min' mode).
   */
  earlyStopping?: { patience?: number; minDelta?: number; target?: number };
  /** Write a checkpoint every N steps and at the end of training. */
  checkpoint?: { store: CheckpointStore; every?: number };
  /**
   * Keep a copy of the weights at the best validation, and put them back when `run` ends (after
   * its final checkpoint, which keeps the last weights so a resume continues where training
   * stopped). Checkpoints carry the copy, so it survives a resume. Default false.
   */
  keepBest?: boolean;
  callbacks?: TrainerCallbacks;
}

export interface TrainSummary {
  steps: number;
  epochs: number;
  stoppedEarly: boolean;
  bestMetric: number | null;
  lastLoss: number;
  skippedSteps: number;
  /** With `keepBest`: the step whose weights the model holds after `run` (null: the last step's). */
  bestStep: number | null;
}
