'use client';
// Section 6: time-series prediction on monthly CO2 (vega-datasets), trained in the page, against a
// seasonal-naive baseline on a held-out tail.
import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { ForecastResult, LabEvent } from '@/lib/lab-protocol';
import { OKABE_ITO, PlotFigure } from './PlotFigure';
import { RunControls } from './RunControls';
import { useTraining } from './useLab';

export function ForecastSection() {
  const [epochs, setEpochs] = useState(30);
  const [horizon, setHorizon] = useState(36);
  const [loss, setLoss] = useState<{ epoch: number; v: number }[]>([]);
  const [result, setResult] = useState<ForecastResult | null>(null);
  const run = useTraining<{ type: 'train-forecast'; epochs: number; horizon: number }>(
    (events: LabEvent[]) => {
      const rows = events.flatMap((e) =>
        e.kind === 'forecast' ? [{ epoch: e.epoch + 1, v: e.loss }] : [],
      );
      setLoss((l) => [...l, ...rows]);
    },
  );
  const train = async () => {
    setLoss([]);
    setResult(null);
    const r = await run.start({ type: 'train-forecast', epochs, horizon });
    if (r && r.type === 'train-forecast') setResult(r.result);
  };
  const seriesOptions = useMemo<Plot.PlotOptions | null>(() => {
    if (!result) return null;
    const date = (m: string) => new Date(`${m}-15T00:00:00Z`);
    const from = Math.max(0, result.split - 120);
    const actual = result.values
      .slice(from)
      .map((v, i) => ({ d: date(result.months[from + i] as string), v }));
    const tail = result.months.slice(result.split).map((m, h) => ({
      d: date(m),
      mean: result.mean[h] as number,
      lo: result.lower[h] as number,
      hi: result.upper[h] as number,
      naive: result.naive[h] as number,
    }));
    return {
      height: 300,
      x: { type: 'utc', label: 'month' },
      y: { label: 'CO₂ (ppm)', grid: true },
      color: {
        domain: ['observed', 'LSTM forecast (95% band)', 'seasonal naive'],
        range: ['#000', OKABE_ITO[0], OKABE_ITO[1]],
        legend: true,
      },
      marks: [
        Plot.areaY(tail, { x: 'd', y1: 'lo', y2: 'hi', fill: OKABE_ITO[0], fillOpacity: 0.2 }),
        Plot.lineY(actual, { x: 'd', y: 'v', stroke: () => 'observed', strokeWidth: 1 }),
        Plot.lineY(tail, {
          x: 'd',
          y: 'mean',
          stroke: () => 'LSTM forecast (95% band)',
          strokeWidth: 2,
        }),
        Plot.lineY(tail, {
          x: 'd',
          y: 'naive',
          stroke: () => 'seasonal naive',
          strokeDasharray: '5 3',
          strokeWidth: 2,
        }),
        Plot.ruleX([date(result.months[result.split] as string)], { stroke: '#888' }),
      ],
    };
  }, [result]);
  const lossOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 180,
      x: { label: 'epoch' },
      y: { label: 'Gaussian negative log-likelihood (scaled units)', grid: true },
      marks: [Plot.lineY(loss, { x: 'epoch', y: 'v', stroke: OKABE_ITO[0], marker: 'dot' })],
    }),
    [loss],
  );
  const beats = result ? result.maeModel < result.maeNaive : null;
  return (
    <div>
      <div className="controls">
        <label className="field">
          Epochs{' '}
          <input
            data-testid="fc-epochs"
            type="number"
            min={1}
            max={500}
            value={epochs}
            onChange={(e) => setEpochs(Number(e.target.value))}
          />
        </label>
        <label className="field">
          Held-out months{' '}
          <input
            data-testid="fc-horizon"
            type="number"
            min={12}
            max={120}
            value={horizon}
            onChange={(e) => setHorizon(Number(e.target.value))}
          />
        </label>
      </div>
      <RunControls
        id="fc"
        state={run.state}
        error={run.error}
        tensors={run.tensors}
        onTrain={train}
        onControl={run.control}
      />
      <div
        data-testid="fc-loss-values"
        data-first={loss[0]?.v ?? ''}
        data-last={loss[loss.length - 1]?.v ?? ''}
      >
        <PlotFigure testId="fc-loss" options={lossOptions} label="Training loss per epoch" />
      </div>
      {result && seriesOptions ? (
        <>
          <p
            data-testid="fc-errors"
            data-mae-model={result.maeModel}
            data-mae-naive={result.maeNaive}
          >
            Mean absolute error over the last {result.mean.length} months (never seen in training):
            LSTM <strong>{result.maeModel.toFixed(2)} ppm</strong>, seasonal naive (same month last
            year) <strong>{result.maeNaive.toFixed(2)} ppm</strong> — the LSTM{' '}
            {beats ? 'beats' : 'loses to'} the baseline.
          </p>
          <PlotFigure
            testId="fc-chart"
            options={seriesOptions}
            label="Mauna Loa monthly CO₂: last 10 years, and the held-out tail with both forecasts"
          />
          <p className="muted small">
            Data: vega-datasets (BSD-3-Clause), NOAA Mauna Loa record, {result.values.length} months
            {result.filled
              ? `, ${result.filled} missing months filled by linear interpolation`
              : ''}
            .
          </p>
        </>
      ) : null}
    </div>
  );
}
