'use client';
// The held-out forecast of a time-series run: the series, the LSTM's mean with its 95% band, and
// the seasonal-naive forecast it is compared with.
import * as Plot from '@observablehq/plot';
import { useMemo } from 'react';
import { OKABE_ITO, PlotFigure } from '@/components/lab/PlotFigure';
import type { ForecastView } from '@/lib/train-protocol';

export function ForecastChart({ f }: { f: ForecastView }) {
  const options = useMemo<Plot.PlotOptions>(() => {
    const from = Math.max(0, f.split - 4 * f.mean.length);
    const actual = f.values.slice(from).map((v, i) => ({ t: from + i, v }));
    const tail = f.mean.map((m, h) => ({
      t: f.split + h,
      mean: m,
      lo: f.lower[h] as number,
      hi: f.upper[h] as number,
      naive: f.naive[h] as number,
    }));
    return {
      height: 300,
      marginLeft: 56,
      x: { label: 'step (row)' },
      y: { label: 'value', grid: true },
      color: {
        domain: ['observed', 'LSTM forecast (95% band)', 'seasonal naive'],
        range: ['#000', OKABE_ITO[0], OKABE_ITO[1]],
        legend: true,
      },
      marks: [
        Plot.areaY(tail, { x: 't', y1: 'lo', y2: 'hi', fill: OKABE_ITO[0], fillOpacity: 0.2 }),
        Plot.lineY(actual, { x: 't', y: 'v', stroke: () => 'observed' }),
        Plot.lineY(tail, {
          x: 't',
          y: 'mean',
          stroke: () => 'LSTM forecast (95% band)',
          strokeWidth: 2,
        }),
        Plot.lineY(tail, {
          x: 't',
          y: 'naive',
          stroke: () => 'seasonal naive',
          strokeDasharray: '5 3',
        }),
        Plot.ruleX([f.split], { stroke: '#888' }),
      ],
    };
  }, [f]);
  return (
    <section aria-labelledby="forecast-h">
      <h2 id="forecast-h">3. The forecast of the held-out values</h2>
      <p data-testid="train-forecast" data-mae={f.maeModel} data-naive={f.maeNaive}>
        Mean absolute error on the last {f.mean.length} values: LSTM {f.maeModel.toFixed(3)},
        seasonal naive {f.maeNaive.toFixed(3)}.
      </p>
      <PlotFigure testId="train-chart-forecast" label="Held-out forecast" options={options} />
      <p className="muted small">
        Forecasters have no model folder format yet (<code>load()</code> has no time-series task),
        so this model lives in this tab only and is not checkpointed.
      </p>
    </section>
  );
}
