'use client';
// An Observable Plot chart as a React component: SVG with an accessible name and description.
import * as Plot from '@observablehq/plot';
import { useEffect, useRef } from 'react';

/** Okabe–Ito colours: distinguishable with every common colour-vision deficiency. */
export const OKABE_ITO = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#000000',
];

/** Charts waiting to render, oldest first. */
const queue: { run: () => void; cancelled: boolean }[] = [];
let draining = false;

/**
 * Renders charts one per animation frame: each frame builds one chart and lays it out, so a
 * section's charts (and the style and layout work they cause) never add up to one long
 * main-thread task while the worker streams training progress. Returns a cancel function.
 */
function scheduleRender(run: () => void): () => void {
  const job = { run, cancelled: false };
  queue.push(job);
  if (!draining) {
    draining = true;
    const next = () => {
      const j = queue.shift();
      if (!j) {
        draining = false;
        return;
      }
      if (!j.cancelled) j.run();
      // The next chart waits for this one's frame to be drawn.
      requestAnimationFrame(() => setTimeout(next, 0));
    };
    setTimeout(next, 0);
  }
  return () => {
    job.cancelled = true;
  };
}

/**
 * Renders `options` with Plot.plot whenever they change. `label` becomes the SVG's aria-label
 * and the figure's caption; `description` its aria-description (what the data shows).
 * @example <PlotFigure testId="loss" label="Loss per step" options={{ marks: [Plot.lineY(losses)] }} />
 */
export function PlotFigure({
  options,
  label,
  description,
  testId,
}: {
  options: Plot.PlotOptions;
  label: string;
  description?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // The previous chart stays on screen until its replacement is drawn.
    return scheduleRender(() => {
      // Fit the container on narrow screens instead of shrinking the text with the whole SVG.
      const room = ref.current?.clientWidth ?? 0;
      const el = Plot.plot({
        ...options,
        ...(room > 0 ? { width: Math.min(options.width ?? 640, room) } : {}),
        ariaLabel: label,
        ...(description ? { ariaDescription: description } : {}),
        style: { fontSize: '12px', overflow: 'visible', ...(options.style as object | undefined) },
      });
      ref.current?.replaceChildren(el);
    });
  }, [options, label, description]);
  return (
    <figure className="lab-figure" data-testid={testId}>
      <div ref={ref} className="lab-plot" />
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}

/** A heatmap of values[row][col] (e.g. [step][unit]) as Plot options. */
export function heatmapOptions(
  values: number[][],
  opts: {
    xLabel: string;
    yLabel: string;
    colorLabel: string;
    domain: [number, number];
    /** 'sequential' for 0–1 (sigmoid), 'diverging' for −1–1 (tanh, cell state). */
    kind: 'sequential' | 'diverging';
    xTicks?: string[];
    width?: number;
  },
): Plot.PlotOptions {
  const data: { x: number; y: number; v: number }[] = [];
  values.forEach((row, x) => {
    row.forEach((v, y) => {
      data.push({ x, y, v });
    });
  });
  const cols = values[0]?.length ?? 0;
  const marks: Plot.Markish[] = [
    Plot.cell(data, {
      x: 'x',
      y: 'y',
      fill: 'v',
      inset: 0,
      title: (d: { v: number }) => d.v.toFixed(3),
    }),
  ];
  return {
    width: opts.width ?? Math.max(320, Math.min(900, 60 + values.length * 28)),
    height: Math.max(120, Math.min(560, 70 + cols * (cols > 64 ? 3.5 : cols > 16 ? 9 : 16))),
    marginLeft: 50,
    marginBottom: 60,
    padding: 0,
    x: {
      type: 'band',
      label: opts.xLabel,
      tickFormat: opts.xTicks ? (i: number) => opts.xTicks?.[i] ?? '' : undefined,
      tickRotate: opts.xTicks ? -45 : 0,
    },
    y: {
      type: 'band',
      label: opts.yLabel,
      ticks: cols > 32 ? [0, 16, 32, 48, 64, 80, 96, 112].filter((t) => t < cols) : undefined,
    },
    color: {
      type: 'linear',
      scheme: opts.kind === 'sequential' ? 'viridis' : 'PuOr',
      domain: opts.domain,
      legend: true,
      label: opts.colorLabel,
    },
    marks,
  };
}
