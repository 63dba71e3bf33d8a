// Messages between /lab and its worker (workers/lab.worker.ts): plain JSON, typed both ways.

import type { GradientLabConfig, GradientLabStep, UnrollView } from '@seqlab/lab';
import type { LanguageIdResult } from '@seqlab/models/language-id';
import type { BackendInfo } from './protocol';

/** Gate values per step and unit of one sentence (batch row 0 of rnn's LSTMGateRecord). */
export interface GateView {
  tokens: string[];
  /** [step][unit] each. */
  input: number[][];
  forget: number[][];
  output: number[][];
  cell: number[][];
  hidden: number[][];
  units: number;
}

/** The three cells the gradient section trains side by side. */
export type CellKind = GradientLabConfig['cell'];

/** Settings of one gradient-section run (shared by all three cells, except what the cell fixes). */
export interface GradientRunSettings {
  /** Adding problem, or copy task (5 symbols of 8 kinds, copied after time − 10 blank steps). */
  task: GradientLabConfig['task'];
  time: number;
  steps: number;
  batch: number;
  units: number;
  activation: GradientLabConfig['activation'];
  init: GradientLabConfig['init'];
  gain: number;
  clip: number | null;
  truncate: number | null;
  learningRate: number;
  cells: CellKind[];
}

export type LabRequest =
  | { id: number; type: 'init' }
  | { id: number; type: 'langid'; text: string }
  | { id: number; type: 'langid-word'; word: string }
  | { id: number; type: 'gates'; source: 'langid' | 'translate-en-es'; text: string }
  | { id: number; type: 'unroll'; text: string; update: number | null }
  | { id: number; type: 'train-gradients'; settings: GradientRunSettings }
  | { id: number; type: 'train-tagger'; steps: number; time: number; digits: number[] }
  | { id: number; type: 'train-forecast'; epochs: number; horizon: number }
  | { id: number; type: 'control'; run: number; action: 'pause' | 'resume' | 'stop' };

export type LabRequestBody = LabRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** Tensors alive in the worker after a request (leak checks). */
export interface TensorCount {
  numTensors: number;
}

/** A training run's progress events (sent with the request's id before its final reply). */
export type LabEvent =
  | { kind: 'gradients'; cell: CellKind; step: number; result: GradientLabStep }
  | {
      kind: 'tagger';
      step: number;
      loss: { uni: number; bi: number };
      accuracy: { uni: number; bi: number } | null;
    }
  | { kind: 'forecast'; epoch: number; loss: number }
  | { kind: 'state'; state: 'running' | 'paused' };

/** The forecast section's result: the series, the held-out tail, both forecasts and errors. */
export interface ForecastResult {
  months: string[];
  values: number[];
  /** Index in `values` where the held-out tail starts. */
  split: number;
  mean: number[];
  lower: number[];
  upper: number[];
  naive: number[];
  maeModel: number;
  maeNaive: number;
  /** Months the source skipped, filled by interpolation. */
  filled: number;
}

export interface TaggerResult {
  accuracy: { uni: number; bi: number };
  states: { forward: number[][]; backward: number[][] | null; concat: number[][] | null };
  tags: { uni: number[]; bi: number[] };
  truth: number[];
}

export type LabReply =
  | { id: number; type: 'event'; event: LabEvent }
  | { id: number; type: 'init'; backend: BackendInfo }
  | {
      id: number;
      type: 'langid';
      result: LanguageIdResult;
      metrics: Record<string, number>;
      ms: number;
      memory: TensorCount;
    }
  | { id: number; type: 'langid-word'; probs: Record<string, number> }
  | { id: number; type: 'gates'; view: GateView; ms: number; memory: TensorCount }
  | { id: number; type: 'unroll'; view: UnrollView; before: number | null; after: number | null }
  | { id: number; type: 'train-gradients'; stopped: boolean; memory: TensorCount }
  | {
      id: number;
      type: 'train-tagger';
      stopped: boolean;
      result: TaggerResult;
      memory: TensorCount;
    }
  | {
      id: number;
      type: 'train-forecast';
      stopped: boolean;
      result: ForecastResult;
      memory: TensorCount;
    }
  | { id: number; type: 'control'; ok: boolean }
  | { id: number; type: 'error'; message: string };

const TYPES = new Set([
  'init',
  'langid',
  'langid-word',
  'gates',
  'unroll',
  'train-gradients',
  'train-tagger',
  'train-forecast',
  'control',
]);

/** Checks a request's shape before the worker acts on it; errors say what was expected. */
export function parseLabRequest(x: unknown): LabRequest {
  const r = x as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || typeof r.id !== 'number') {
    throw new Error(`Expected a lab request {id, type}, got ${JSON.stringify(x)?.slice(0, 80)}`);
  }
  if (typeof r.type !== 'string' || !TYPES.has(r.type)) {
    throw new Error(
      `Unknown lab request ${JSON.stringify(r.type)}; valid: ${[...TYPES].join(', ')}`,
    );
  }
  for (const key of ['text', 'word'] as const) {
    if (key in r && (typeof r[key] !== 'string' || (r[key] as string).length > 2000)) {
      throw new Error(`Lab request ${r.type}: ${key} must be a string of at most 2000 characters`);
    }
  }
  return r as unknown as LabRequest;
}
