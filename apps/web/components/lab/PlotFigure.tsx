'use client';
// An Observable Plot chart as a React component: SVG with an accessible name and description.
import * as Plot from '@observablehq/plot';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { cellAt, centreTicks, toGrid } from '@/lib/heatmap-grid';

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

/** Per document, the Plot stylesheets hoisted into its head, by their text. */
const hoisted = new WeakMap<Document, Map<string, HTMLStyleElement>>();

/**
 * Moves the `<style>` elements Plot puts in every chart (and legend) into the document's head,
 * once per distinct text. Plot's rules are scoped by a class name that is the same for every
 * chart, so the page looks the same; but a `<style>` inserted with each redrawn chart changes the
 * document's stylesheets, and Chromium then re-matches every element those rules could apply to
 * across the page (about 1,000 style invalidations of `text` elements per tagger run in the lab's
 * e2e traces). With the sheets hoisted, a redraw restyles only the chart's own new elements.
 * @example const svg = Plot.plot(options); hoistPlotStyles(svg); container.replaceChildren(svg);
 */
export function hoistPlotStyles(el: Element, doc: Document = el.ownerDocument): void {
  const sheets = hoisted.get(doc) ?? new Map<string, HTMLStyleElement>();
  hoisted.set(doc, sheets);
  for (const style of el.querySelectorAll('style')) {
    const css = style.textContent ?? '';
    style.remove();
    if (sheets.get(css)?.isConnected || !doc.head) continue;
    const sheet = doc.createElement('style');
    sheet.dataset.plotStyles = '';
    sheet.textContent = css;
    doc.head.append(sheet);
    sheets.set(css, sheet);
  }
}

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
 * When true (the lab's long page), a chart is drawn only once it comes into view (or within a
 * quarter screen below it), and redrawn on change from then on; until then it keeps its height
 * free. A chart far away costs nothing while the user trains a model in the section they are
 * reading: the lab's four gate heatmaps once landed in the middle of the tagger's training run.
 * @example <LazyCharts.Provider value={true}><Sections /></LazyCharts.Provider>
 */
export const LazyCharts = createContext(false);

/**
 * True once `ref`'s element has come into view, the viewport grown by `rootMargin` (a CSS margin,
 * as IntersectionObserver takes it); true from the start when `enabled` is false. It stays true.
 * @example const seen = useInView(ref, true, '0px'); return seen ? <Body /> : <Placeholder />;
 */
export function useInView(
  ref: React.RefObject<HTMLElement | null>,
  enabled: boolean,
  rootMargin: string,
): boolean {
  const [seen, setSeen] = useState(!enabled);
  useEffect(() => {
    const el = ref.current;
    if (seen || !el) return;
    if (typeof IntersectionObserver === 'undefined') {
      setSeen(true);
      return;
    }
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setSeen(true);
      },
      { rootMargin },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [ref, seen, rootMargin]);
  return seen;
}

/**
 * Renders `options` with Plot.plot whenever they change. `label` becomes the SVG's aria-label
 * and the figure's caption; `description` its aria-description (what the data shows). Inside
 * `<LazyCharts.Provider value={true}>` it draws only near the viewport.
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
  const lazy = useContext(LazyCharts);
  // A little ahead below (the usual reading direction); above, only once in view.
  const near = useInView(ref, lazy, '0px 0px 25% 0px');
  // Until its first drawing the chart keeps its height free, so the page does not jump (set here
  // rather than as a prop, so it lasts until the drawing replaces it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the first drawing's height
  useEffect(() => {
    if (ref.current && !ref.current.firstChild)
      ref.current.style.minHeight = `${options.height ?? 400}px`;
  }, []);
  useEffect(() => {
    if (!near) return;
    // The previous chart stays on screen until its replacement is drawn.
    return scheduleRender(() => {
      const box = ref.current;
      if (!box) return;
      // Fit the container on narrow screens instead of shrinking the text with the whole SVG.
      const room = box.clientWidth;
      const el = Plot.plot({
        ...options,
        ...(room > 0 ? { width: Math.min(options.width ?? 640, room) } : {}),
        ariaLabel: label,
        ...(description ? { ariaDescription: description } : {}),
        style: { fontSize: '12px', overflow: 'visible', ...(options.style as object | undefined) },
      });
      hoistPlotStyles(el);
      box.style.minHeight = '';
      box.replaceChildren(el);
    });
  }, [near, options, label, description]);
  return (
    <figure className="lab-figure" data-testid={testId}>
      <div ref={ref} className="lab-plot" />
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
}

/**
 * A heatmap of values[col][row] (e.g. [step][unit]) as Plot options: one raster image with a
 * pixel per cell, not an SVG rect per cell. A 12-token × 192-unit gate map is 2,304 cells; as
 * rects (each with a title) it was some 4,700 SVG elements whose style and paint cost 30–70 ms of
 * main-thread CPU per redraw. A cell's value shows in a tip under the pointer.
 * @example <PlotFigure label="Forget gate" options={heatmapOptions(forget, { xLabel: 'token', yLabel: 'unit', colorLabel: 'f', domain: [0, 1], kind: 'sequential' })} />
 */
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
  const grid = toGrid(values);
  const { width: cols, height: rows } = grid;
  const xName = (i: number) => opts.xTicks?.[i] ?? String(i);
  // The pointer's targets: one per cell, at its centre (data only: nothing is drawn until hover).
  const centres = Array.from(grid.cells, (v, i) => ({
    x: (i % cols) + 0.5,
    y: Math.floor(i / cols) + 0.5,
    v,
  }));
  const marks: Plot.Markish[] =
    cols > 0 && rows > 0
      ? [
          Plot.raster(grid.cells, {
            width: cols,
            height: rows,
            x1: 0,
            x2: cols,
            y1: 0,
            y2: rows,
            imageRendering: 'pixelated',
          }),
          Plot.tip(
            centres,
            Plot.pointer({
              x: 'x',
              y: 'y',
              title: (d: { x: number; y: number; v: number }) =>
                `${opts.xLabel} ${xName(cellAt(d.x))}, ${opts.yLabel} ${cellAt(d.y)}: ${d.v.toFixed(3)}`,
            }),
          ),
        ]
      : [];
  return {
    width: opts.width ?? Math.max(320, Math.min(900, 60 + cols * 28)),
    height: Math.max(120, Math.min(560, 70 + rows * (rows > 64 ? 3.5 : rows > 16 ? 9 : 16))),
    marginLeft: 50,
    marginBottom: 60,
    x: {
      domain: [0, cols],
      label: opts.xLabel,
      ticks: centreTicks(cols),
      tickFormat: (v: number) => xName(cellAt(v)),
      tickRotate: opts.xTicks ? -45 : 0,
      tickSize: 0,
    },
    y: {
      domain: [0, rows],
      // Row 0 at the top, as in a table.
      reverse: true,
      label: opts.yLabel,
      ticks: centreTicks(rows, rows > 32 ? 16 : 1),
      tickFormat: (v: number) => String(cellAt(v)),
      tickSize: 0,
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
