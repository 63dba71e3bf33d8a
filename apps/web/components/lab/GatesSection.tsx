'use client';
// Section 4: inside the LSTM. Gate and cell-state heatmaps per token and unit, from the shipped
// translator's encoder or the language-ID model, and one unit followed token by token.
import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useState } from 'react';
import { labClient } from '@/lib/lab-client';
import type { GateView } from '@/lib/lab-protocol';
import { heatmapOptions, OKABE_ITO, PlotFigure } from './PlotFigure';

type Source = 'translate-en-es' | 'langid';
const SOURCES: Record<Source, string> = {
  'translate-en-es': 'translator encoder (English→Spanish, layer 1, forward)',
  langid: 'language-ID LSTM (characters)',
};

/** Token labels for axes: the subword marker ▁ shown as a visible dot. */
const tokenTicks = (v: GateView) => v.tokens.map((t) => t.replace(/^▁/, '·'));

const range = (m: number[][]) => {
  const flat = m.flat();
  return { min: Math.min(...flat), max: Math.max(...flat) };
};

export function GatesSection() {
  const [source, setSource] = useState<Source>('translate-en-es');
  const [text, setText] = useState('The file could not be saved because the disk is full.');
  const [unit, setUnit] = useState(0);
  const [view, setView] = useState<GateView | null>(null);
  // The text `view` was computed from: it lags `text` by the debounce and the worker's reply.
  const [viewText, setViewText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      if (!text.trim()) return;
      setBusy(true);
      labClient()
        .call({ type: 'gates', source, text })
        .then(
          (r) => {
            if (!live) return;
            setView(r.view);
            setViewText(text);
            setError(null);
          },
          (e: Error) => live && setError(e.message),
        )
        .finally(() => live && setBusy(false));
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [source, text]);

  const u = view ? Math.min(unit, view.units - 1) : 0;
  const opts = useMemo(() => {
    if (!view) return null;
    const xTicks = tokenTicks(view);
    const heat = (
      m: number[][],
      label: string,
      kind: 'sequential' | 'diverging',
      domain: [number, number],
    ) =>
      heatmapOptions(m, {
        xLabel: 'token',
        yLabel: 'unit',
        colorLabel: label,
        domain,
        kind,
        xTicks,
      });
    const cellMax = Math.max(1, ...view.cell.flat().map(Math.abs));
    return {
      forget: heat(view.forget, 'forget gate f (sigmoid, 0–1)', 'sequential', [0, 1]),
      input: heat(view.input, 'input gate i (sigmoid, 0–1)', 'sequential', [0, 1]),
      output: heat(view.output, 'output gate o (sigmoid, 0–1)', 'sequential', [0, 1]),
      cell: heat(view.cell, 'cell state c', 'diverging', [-cellMax, cellMax]),
    };
  }, [view]);
  const followOptions = useMemo<Plot.PlotOptions>(() => {
    const xTicks = view ? tokenTicks(view) : [];
    const rows = (view?.tokens ?? []).flatMap((_, t) =>
      (['forget', 'input', 'output', 'cell', 'hidden'] as const).map((k) => ({
        t,
        k,
        v: view?.[k][t]?.[u] ?? 0,
      })),
    );
    return {
      height: 240,
      marginBottom: 70,
      x: {
        type: 'point',
        label: 'token',
        tickFormat: (i: number) => xTicks[i] ?? '',
        tickRotate: -45,
      },
      y: { label: 'value (gates 0–1; c and h signed)', grid: true },
      color: {
        domain: ['forget', 'input', 'output', 'cell', 'hidden'],
        range: OKABE_ITO,
        legend: true,
      },
      marks: [
        Plot.ruleY([0, 1], { stroke: '#ccc' }),
        Plot.lineY(rows, { x: 't', y: 'v', stroke: 'k', marker: 'dot' }),
      ],
    };
  }, [view, u]);

  const f = view ? range(view.forget) : null;
  const c = view ? range(view.cell) : null;
  const h = view ? range(view.hidden) : null;
  return (
    <div>
      <div className="controls">
        <label className="field">
          Model{' '}
          <select
            data-testid="gates-source"
            value={source}
            onChange={(e) => setSource(e.target.value as Source)}
          >
            {Object.entries(SOURCES).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </label>
        <label className="field block">
          Sentence{' '}
          <input
            data-testid="gates-input"
            value={text}
            maxLength={300}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field">
          Follow unit{' '}
          <input
            data-testid="gates-unit"
            type="number"
            min={0}
            max={Math.max(0, (view?.units ?? 1) - 1)}
            value={unit}
            onChange={(e) => setUnit(Math.max(0, Number(e.target.value)))}
          />{' '}
          of {view?.units ?? '…'}
        </label>
        {busy ? <span className="muted small">running the model…</span> : null}
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {view && opts && f && c && h ? (
        <>
          <p
            className="small"
            data-testid="gates-explain"
            data-tokens={view.tokens.length}
            data-units={view.units}
            data-text={viewText}
          >
            {view.tokens.length} tokens × {view.units} units. Gates are <em>sigmoids</em>, squashed
            into 0–1, so they act as dials: here the forget gate runs from {f.min.toFixed(2)} to{' '}
            {f.max.toFixed(2)} — near 1 a unit keeps its memory, near 0 it wipes it. The candidate
            and the output use <em>tanh</em>, −1 to 1: the hidden state h = o × tanh(c) stays within{' '}
            {h.min.toFixed(2)}…{h.max.toFixed(2)}, while the cell state c, a running sum, is not
            squashed and reaches {c.min.toFixed(2)}…{c.max.toFixed(2)}.
          </p>
          <div className="lab-grid">
            <PlotFigure
              testId="gates-forget"
              options={opts.forget}
              label="Forget gate f per token and unit"
            />
            <PlotFigure
              testId="gates-input-gate"
              options={opts.input}
              label="Input gate i per token and unit"
            />
            <PlotFigure
              testId="gates-output"
              options={opts.output}
              label="Output gate o per token and unit"
            />
            <PlotFigure
              testId="gates-cell"
              options={opts.cell}
              label="Cell state c per token and unit"
            />
          </div>
          <PlotFigure
            testId="gates-follow"
            options={followOptions}
            label={`Unit ${u}, token by token`}
          />
        </>
      ) : null}
    </div>
  );
}
