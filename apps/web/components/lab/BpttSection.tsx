'use client';
// Section 2: forward and backward propagation through time on a tiny character RNN over the
// user's text: hidden states, per-step loss, the gradient reaching each step, and one update.
import * as Plot from '@observablehq/plot';
import type { UnrollView } from '@seqlab/lab';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { labClient } from '@/lib/lab-client';
import { heatmapOptions, OKABE_ITO, PlotFigure } from './PlotFigure';

export function BpttSection() {
  const [text, setText] = useState('the cat sat on the mat');
  const [lr, setLr] = useState(0.5);
  const [view, setView] = useState<UnrollView | null>(null);
  const [history, setHistory] = useState<{ before: number; after: number }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = useCallback(
    async (update: number | null) => {
      setBusy(true);
      try {
        const r = await labClient().call({ type: 'unroll', text, update });
        setView(r.view);
        if (r.before !== null && r.after !== null) {
          const entry = { before: r.before, after: r.after };
          setHistory((h) => [...h, entry]);
        }
        setError(null);
      } catch (e) {
        setError(e instanceof Error ? e.message : String(e));
      } finally {
        setBusy(false);
      }
    },
    [text],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: unroll again only when the text changes
  useEffect(() => {
    const t = setTimeout(() => run(null), 200);
    return () => clearTimeout(t);
  }, [text]);

  const steps = useMemo(
    () => (view ? view.symbols.slice(0, -1).map((s, i) => `${i + 1}:${s === ' ' ? '␣' : s}`) : []),
    [view],
  );
  const lossOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 180,
      x: {
        type: 'band',
        label: 'step: symbol read (predicting the next one)',
        tickFormat: (i: number) => steps[i] ?? '',
        tickRotate: -45,
      },
      y: { label: '−log p(next symbol) (nats)', grid: true },
      marginBottom: 60,
      marks: [
        Plot.barY(view?.stepLoss ?? [], {
          x: (_: number, i: number) => i,
          y: (d: number) => d,
          fill: OKABE_ITO[1],
        }),
      ],
    }),
    [view, steps],
  );
  const gradOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 180,
      x: {
        type: 'band',
        label: 'step (the backward pass runs right to left)',
        tickFormat: (i: number) => steps[i] ?? '',
        tickRotate: -45,
      },
      y: { label: '‖∂loss/∂hₜ‖ (per unit of loss)', grid: true },
      marginBottom: 60,
      marks: [
        Plot.barY(view?.dHiddenNorm ?? [], {
          x: (_: number, i: number) => i,
          y: (d: number) => d,
          fill: OKABE_ITO[0],
        }),
      ],
    }),
    [view, steps],
  );
  const hiddenOptions = useMemo(
    () =>
      heatmapOptions(view?.hidden ?? [], {
        xLabel: 'step',
        yLabel: 'hidden unit',
        colorLabel: 'hₜ = tanh(…), −1 to 1',
        domain: [-1, 1],
        kind: 'diverging',
        xTicks: steps,
      }),
    [view, steps],
  );

  const dHiddenOptions = useMemo(() => {
    const m = Math.max(1e-6, ...(view?.dHidden.flat().map(Math.abs) ?? [0]));
    return heatmapOptions(view?.dHidden ?? [], {
      xLabel: 'step',
      yLabel: 'hidden unit',
      colorLabel: '∂loss/∂hₜ (per unit of loss)',
      domain: [-m, m],
      kind: 'diverging',
      xTicks: steps,
    });
  }, [view, steps]);

  return (
    <div>
      <div className="controls">
        <label className="field block">
          Text to unroll over (letters and spaces; 2–200 characters){' '}
          <input
            data-testid="bptt-input"
            value={text}
            maxLength={200}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <label className="field">
          Learning rate{' '}
          <input
            data-testid="bptt-lr"
            type="number"
            min={0.01}
            max={10}
            step={0.1}
            value={lr}
            onChange={(e) => setLr(Number(e.target.value))}
          />
        </label>
        <button
          type="button"
          data-testid="bptt-update"
          disabled={busy || !view}
          onClick={() => run(lr)}
        >
          Apply one update: w ← w − {lr} × ∂loss/∂w
        </button>
      </div>
      {error ? <p className="error-text">{error}</p> : null}
      {view ? (
        <>
          <p data-testid="bptt-loss" data-loss={view.loss}>
            Forward pass over {view.symbols.length - 1} steps: mean loss{' '}
            <strong>{view.loss.toFixed(4)}</strong> nats per symbol. Gradient norms: input weights W{' '}
            {view.gradNorms.W?.toFixed(3)}, recurrent U {view.gradNorms.U?.toFixed(3)}, output V{' '}
            {view.gradNorms.V?.toFixed(3)}.
          </p>
          {history.length > 0 ? (
            <ol className="small" data-testid="bptt-history">
              {history.map((h, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: one row per update, in order
                <li key={i} data-before={h.before} data-after={h.after}>
                  update {i + 1}: loss {h.before.toFixed(4)} → {h.after.toFixed(4)} (
                  {h.after < h.before ? 'down' : 'up'} {Math.abs(h.before - h.after).toFixed(4)})
                </li>
              ))}
            </ol>
          ) : null}
          <PlotFigure
            testId="bptt-hidden"
            options={hiddenOptions}
            label="Forward: hidden state hₜ at each step (8 units)"
          />
          <PlotFigure
            testId="bptt-steploss"
            options={lossOptions}
            label="Loss at each step (predicting the next character)"
          />
          <PlotFigure
            testId="bptt-dhidden"
            options={dHiddenOptions}
            label="Backward: the gradient ∂loss/∂hₜ itself, unit by unit, at each step"
          />
          <PlotFigure
            testId="bptt-grad"
            options={gradOptions}
            label="Backward: size of the gradient reaching each step's hidden state"
            description="Each step's gradient adds its own loss's share to what flows back from later steps through the recurrent weights."
          />
        </>
      ) : null}
    </div>
  );
}
