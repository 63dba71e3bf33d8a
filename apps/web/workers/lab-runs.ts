// The lab's training runs inside the worker: each yields to the event loop between steps so pause,
// resume and stop messages are handled while it trains, and disposes every model it built.
import {
  addingBatch,
  copyBatch,
  DEFAULT_FORECASTER,
  DEFAULT_GRADIENT_LAB,
  Forecaster,
  GradientLabModel,
  meanAbsoluteError,
  PeakTagger,
  parseMonthlyCsv,
  peakBatch,
  peakLabels,
  seasonalNaive,
} from '@seqlab/lab';
import type {
  ForecastResult,
  GradientRunSettings,
  LabEvent,
  TaggerResult,
} from '../lib/lab-protocol';
// vega-datasets (BSD-3-Clause): Mauna Loa monthly CO2, bundled as text by the worker build.
import co2Csv from '../node_modules/vega-datasets/data/co2-concentration.csv';

/** Pause/stop switches of one run, flipped by 'control' requests. */
export class RunControl {
  private paused = false;
  private wake: (() => void) | null = null;
  stopped = false;

  constructor(private readonly emit: (e: LabEvent) => void) {}

  set(action: 'pause' | 'resume' | 'stop'): void {
    if (action === 'stop') this.stopped = true;
    this.paused = action === 'pause';
    this.emit({ kind: 'state', state: this.paused ? 'paused' : 'running' });
    if (!this.paused) {
      this.wake?.();
      this.wake = null;
    }
  }

  /** Between steps: a macrotask (lets messages in), then waits while paused. False once stopped. */
  async checkpoint(): Promise<boolean> {
    await new Promise((r) => setTimeout(r, 0));
    while (this.paused && !this.stopped) await new Promise<void>((r) => (this.wake = r));
    return !this.stopped;
  }
}

function checkInt(name: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi)
    throw new Error(`${name} must be an integer in ${lo}..${hi}, got ${v}`);
}

/** The copy task's shape in the lab: 5 symbols of 8 kinds, copied after `time − 10` blanks. */
export const COPY = { length: 5, symbols: 8 } as const;

/** SimpleRNN, GRU and LSTM on the same batches (adding or copy), one step each in turn. */
export async function trainGradients(
  s: GradientRunSettings,
  ctl: RunControl,
  emit: (e: LabEvent) => void,
): Promise<void> {
  checkInt('time', s.time, 12, 200);
  if (s.task !== 'adding' && s.task !== 'copy')
    throw new Error(`task must be adding or copy, got ${String(s.task)}`);
  const batchOf = (seed: number) =>
    s.task === 'copy'
      ? copyBatch(s.batch, COPY.length, s.time - 2 * COPY.length, COPY.symbols, seed)
      : addingBatch(s.batch, s.time, seed);
  checkInt('steps', s.steps, 1, 5000);
  checkInt('batch', s.batch, 1, 256);
  const models = s.cells.map(
    (cell) =>
      new GradientLabModel({
        ...DEFAULT_GRADIENT_LAB,
        cell,
        task: s.task,
        symbols: COPY.symbols,
        features: s.task === 'copy' ? COPY.symbols + 2 : 2,
        units: s.units,
        activation: s.activation,
        init: s.init,
        gain: s.gain,
        clip: s.clip,
        truncate: s.truncate,
        learningRate: s.learningRate,
      }),
  );
  try {
    for (let step = 0; step < s.steps; step++) {
      const batch = batchOf(1000 + step);
      for (const m of models) {
        emit({ kind: 'gradients', cell: m.config.cell, step, result: m.trainStep(batch) });
        if (!(await ctl.checkpoint())) return;
      }
    }
  } finally {
    for (const m of models) m.dispose();
  }
}

/** A tagger with and one without the backward direction, trained on the same batches. */
export async function trainTagger(
  steps: number,
  time: number,
  digits: number[],
  ctl: RunControl,
  emit: (e: LabEvent) => void,
): Promise<TaggerResult | null> {
  checkInt('steps', steps, 1, 2000);
  checkInt('time', time, 3, 40);
  const uni = new PeakTagger({ units: 8, bidirectional: false, seed: 4 });
  const bi = new PeakTagger({ units: 8, bidirectional: true, seed: 4 });
  const test = peakBatch(256, time, 99_999);
  try {
    for (let step = 0; step < steps; step++) {
      const b = peakBatch(32, time, step);
      const loss = { uni: uni.trainStep(b), bi: bi.trainStep(b) };
      const last = step === steps - 1;
      const accuracy =
        step % 10 === 9 || last ? { uni: uni.accuracy(test), bi: bi.accuracy(test) } : null;
      emit({ kind: 'tagger', step, loss, accuracy });
      if (!(await ctl.checkpoint())) break;
    }
    return {
      accuracy: { uni: uni.accuracy(test), bi: bi.accuracy(test) },
      states: bi.states(digits),
      tags: { uni: uni.tag(digits), bi: bi.tag(digits) },
      truth: peakLabels(digits),
    };
  } finally {
    uni.dispose();
    bi.dispose();
  }
}

/** The LSTM forecaster on monthly CO2, the last `horizon` months held out. */
export async function trainForecast(
  epochs: number,
  horizon: number,
  ctl: RunControl,
  emit: (e: LabEvent) => void,
): Promise<ForecastResult> {
  checkInt('epochs', epochs, 1, 500);
  checkInt('horizon', horizon, 12, 120);
  const series = parseMonthlyCsv(co2Csv, 'CO2');
  const split = series.values.length - horizon;
  const history = series.values.slice(0, split);
  const tail = series.values.slice(split);
  const f = new Forecaster(history, DEFAULT_FORECASTER);
  try {
    for (let e = 0; e < epochs; e++) {
      emit({ kind: 'forecast', epoch: e, loss: f.trainEpoch(32) });
      if (!(await ctl.checkpoint())) break;
    }
    const fc = f.forecast(horizon);
    const naive = seasonalNaive(history, 12, horizon);
    return {
      months: series.months,
      values: series.values,
      split,
      ...fc,
      naive,
      maeModel: meanAbsoluteError(fc.mean, tail),
      maeNaive: meanAbsoluteError(naive, tail),
      filled: series.filled,
    };
  } finally {
    f.dispose();
  }
}
