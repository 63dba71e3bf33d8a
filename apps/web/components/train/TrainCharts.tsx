'use client';
// Live charts of a run: training loss, held-out scores (BLEU/chrF or exact match), gradient norm, tokens/s.
import * as Plot from '@observablehq/plot';
import { useMemo } from 'react';
import { OKABE_ITO, PlotFigure } from '@/components/lab/PlotFigure';
import type { StepPoint, ValidPoint } from '@/lib/train-protocol';

/** At most this many points per line (every k-th step beyond), so long runs draw quickly. */
const MAX_POINTS = 600;

function thin<T>(xs: readonly T[]): T[] {
  if (xs.length <= MAX_POINTS) return [...xs];
  const k = Math.ceil(xs.length / MAX_POINTS);
  return xs.filter((_, i) => i % k === 0 || i === xs.length - 1);
}

function line(
  data: readonly StepPoint[],
  y: keyof StepPoint,
  label: string,
  color: string,
): Plot.PlotOptions {
  return {
    height: 180,
    marginLeft: 56,
    x: { label: 'step' },
    y: { label, grid: true, zero: y !== 'loss' },
    marks: [
      Plot.lineY(thin(data.filter((d) => Number.isFinite(d[y]))), { x: 'step', y, stroke: color }),
    ],
  };
}

export function TrainCharts({
  steps,
  valid,
  speedUnit = 'target tokens',
  stepUnit = 'step',
}: {
  steps: StepPoint[];
  valid: ValidPoint[];
  /** What the speed counts: target tokens (translation, captions) or windows (time series). */
  speedUnit?: string;
  stepUnit?: string;
}) {
  const loss = useMemo(
    () => line(steps, 'loss', 'training loss (cross-entropy per token)', OKABE_ITO[0] as string),
    [steps],
  );
  const grad = useMemo(
    () => line(steps, 'gradNorm', 'gradient norm (before clipping)', OKABE_ITO[4] as string),
    [steps],
  );
  const tps = useMemo(
    () => line(steps, 'tokensPerSec', `${speedUnit} per second`, OKABE_ITO[2] as string),
    [steps, speedUnit],
  );
  const metric = useMemo<Plot.PlotOptions>(() => {
    const rows = valid.flatMap((v) =>
      Object.entries(v.scores).map(([metric, value]) => ({ step: v.step, value, metric })),
    );
    const names = [...new Set(rows.map((r) => r.metric))];
    return {
      height: 180,
      x: { label: 'step' },
      y: { label: 'held-out score (greedy)', grid: true, zero: true },
      color: { domain: names, range: OKABE_ITO.slice(0, names.length), legend: true },
      marks: [Plot.lineY(rows, { x: 'step', y: 'value', stroke: 'metric', marker: 'dot' })],
    };
  }, [valid]);
  return (
    <div className="train-charts">
      <PlotFigure
        testId="train-chart-loss"
        label={`Training loss per ${stepUnit}`}
        options={loss}
      />
      <PlotFigure
        testId="train-chart-valid"
        label="Scores on the held-out examples"
        options={metric}
      />
      {steps.some((p) => Number.isFinite(p.gradNorm)) ? (
        <PlotFigure testId="train-chart-grad" label="Gradient norm per step" options={grad} />
      ) : null}
      <PlotFigure testId="train-chart-tps" label="Training speed" options={tps} />
    </div>
  );
}
