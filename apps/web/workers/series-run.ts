// A time-series run in the /train worker: @seqlab/lab's Forecaster (the RNN lab's LSTM with a
// Gaussian head, trained by its own epochs) on the user's column, the last `horizon` values held
// out, its forecast error measured against a seasonal-naive forecast. There is no model folder
// for forecasters (load() has no time-series task), so it is tried in the page only, and not
// checkpointed (the Forecaster has no checkpoint format).
import { Forecaster, meanAbsoluteError, seasonalNaive } from '@seqlab/lab';
import { memory } from '@tensorflow/tfjs-core';
import {
  type EngineInfo,
  type ForecastView,
  type RunState,
  SERIES_UNITS,
  type SeriesRequest,
  type TrainEvent,
  type TrainSettings,
} from '../lib/train-protocol';

export class SeriesRun {
  readonly task = 'series' as const;
  state: RunState = 'preparing';
  private paused = false;
  private stopped = false;
  private wake: (() => void) | null = null;
  private epoch = 0;

  private constructor(
    private readonly settings: TrainSettings,
    private readonly s: SeriesRequest,
    private readonly f: Forecaster,
    private readonly emit: (e: TrainEvent) => void,
  ) {}

  static create(o: {
    settings: TrainSettings;
    fileName: string;
    series: SeriesRequest;
    backend: string;
    emit: (e: TrainEvent) => void;
  }): SeriesRun {
    const { values, horizon, period } = o.series;
    if (!Number.isInteger(horizon) || horizon < 1 || horizon > values.length / 3)
      throw new Error(
        `forecast horizon: expected an integer in 1..${Math.floor(values.length / 3)} (a third of the ${values.length} values), got ${horizon}`,
      );
    if (!Number.isInteger(period) || period < 1 || period > 366)
      throw new Error(`season length: expected an integer in 1..366, got ${period}`);
    const history = values.slice(0, values.length - horizon);
    const window = Math.min(24, Math.max(2, Math.floor((history.length - 10) / 2)));
    const f = new Forecaster(history, {
      window,
      units: SERIES_UNITS[o.settings.size],
      period,
      learningRate: o.settings.lr,
      seed: o.settings.seed,
    });
    const engine: EngineInfo = {
      name: 'tfjs',
      threads: 1,
      detail: `@seqlab/lab Forecaster (LSTM of ${SERIES_UNITS[o.settings.size]} units, window ${window}, Gaussian head) on tfjs, one epoch per step`,
    };
    o.emit({
      kind: 'prepared',
      engine,
      backend: o.backend,
      step: 0,
      summary: `${o.fileName}, column '${o.series.column}': ${values.length} values, the last ${horizon} held out and forecast; season ${period}`,
    });
    return new SeriesRun(o.settings, o.series, f, o.emit);
  }

  control(action: 'pause' | 'resume' | 'stop'): void {
    if (action === 'stop') this.stopped = true;
    this.paused = action === 'pause';
    if (!this.paused) {
      this.wake?.();
      this.wake = null;
    }
  }

  private setState(state: RunState): void {
    this.state = state;
    const ended = state === 'done' || state === 'stopped';
    this.emit({ kind: 'state', state, ...(ended ? { tensors: memory().numTensors } : {}) });
  }

  private forecast(): ForecastView {
    const { values, horizon, period } = this.s;
    const split = values.length - horizon;
    const history = values.slice(0, split);
    const tail = values.slice(split);
    const fc = this.f.forecast(horizon);
    const naive = seasonalNaive(history, period, horizon);
    return {
      values,
      split,
      ...fc,
      naive,
      maeModel: meanAbsoluteError(fc.mean, tail),
      maeNaive: meanAbsoluteError(naive, tail),
    };
  }

  /** One epoch per step up to settings.steps; the held-out forecast is scored as it goes. */
  async train(): Promise<void> {
    this.setState('running');
    const windows = this.s.values.length - this.s.horizon;
    while (this.epoch < this.settings.steps && !this.stopped) {
      const t0 = performance.now();
      const loss = this.f.trainEpoch(this.settings.batchSize);
      const dt = (performance.now() - t0) / 1000;
      this.epoch += 1;
      this.emit({
        kind: 'steps',
        points: [{ step: this.epoch, loss, gradNorm: Number.NaN, tokensPerSec: windows / dt }],
      });
      if (this.epoch % this.settings.validateEvery === 0 || this.epoch === this.settings.steps) {
        const fc = this.forecast();
        this.emit({
          kind: 'valid',
          point: {
            step: this.epoch,
            scores: { 'forecast MAE': fc.maeModel, 'seasonal naive MAE': fc.maeNaive },
          },
        });
      }
      await new Promise((r) => setTimeout(r, 0));
      if (this.paused && !this.stopped) {
        this.setState('paused');
        while (this.paused && !this.stopped) await new Promise<void>((r) => (this.wake = r));
        if (!this.stopped) this.setState('running');
      }
    }
    this.emit({ kind: 'forecast', forecast: this.forecast() });
    this.setState(this.stopped ? 'stopped' : 'done');
  }

  dispose(): void {
    this.control('stop');
    this.f.dispose();
  }
}
