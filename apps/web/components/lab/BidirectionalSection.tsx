'use client';
// Section 5: bidirectional RNNs. Two LSTM taggers mark local peaks in digit strings, one reading
// left to right only, one in both directions; then both read the user's digits.
import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { LabEvent, TaggerResult } from '@/lib/lab-protocol';
import { heatmapOptions, OKABE_ITO, PlotFigure } from './PlotFigure';
import { RunControls } from './RunControls';
import { useTraining } from './useLab';

export function BidirectionalSection() {
  const [digits, setDigits] = useState('3 8 2 5 5 9 1 4');
  const [steps, setSteps] = useState(120);
  const [loss, setLoss] = useState<{ step: number; uni: number; bi: number }[]>([]);
  const [acc, setAcc] = useState<{ uni: number; bi: number } | null>(null);
  const [result, setResult] = useState<{ r: TaggerResult; digits: number[] } | null>(null);
  const parsed = digits.match(/\d/g)?.map(Number) ?? [];
  const run = useTraining<{ type: 'train-tagger'; steps: number; time: number; digits: number[] }>(
    (events: LabEvent[]) => {
      const rows: { step: number; uni: number; bi: number }[] = [];
      for (const e of events) {
        if (e.kind !== 'tagger') continue;
        rows.push({ step: e.step, ...e.loss });
        if (e.accuracy) setAcc(e.accuracy);
      }
      setLoss((l) => [...l, ...rows]);
    },
  );
  const train = async () => {
    setLoss([]);
    setAcc(null);
    setResult(null);
    const used = parsed;
    const r = await run.start({ type: 'train-tagger', steps, time: 12, digits: used });
    if (r && r.type === 'train-tagger') {
      setResult({ r: r.result, digits: used });
      setAcc(r.result.accuracy);
    }
  };
  const lossOptions = useMemo<Plot.PlotOptions>(() => {
    const data = loss.flatMap((r) => [
      { step: r.step, v: r.uni, model: 'forward only' },
      { step: r.step, v: r.bi, model: 'bidirectional' },
    ]);
    return {
      height: 200,
      x: { label: 'training step (32 strings of 12 digits)' },
      y: { label: 'cross-entropy per digit (nats)', grid: true },
      color: { domain: ['forward only', 'bidirectional'], range: OKABE_ITO, legend: true },
      marks: [Plot.lineY(data, { x: 'step', y: 'v', stroke: 'model' })],
    };
  }, [loss]);
  // The heatmaps belong to the digits the taggers read, not to what is in the box now.
  const heatmaps = useMemo(() => {
    if (!result) return null;
    const xTicks = result.digits.map(String);
    const heat = (m: number[][] | null, label: string) =>
      heatmapOptions(m ?? [], {
        xLabel: 'digit',
        yLabel: 'unit',
        colorLabel: label,
        domain: [-1, 1],
        kind: 'diverging',
        xTicks,
      });
    return {
      forward: heat(result.r.states.forward, 'forward h (reads left→right)'),
      backward: heat(result.r.states.backward, 'backward h (reads right→left)'),
      concat: heat(result.r.states.concat, '[forward; backward]'),
    };
  }, [result]);

  return (
    <div>
      <div className="controls">
        <label className="field block">
          Digits to tag (after training){' '}
          <input
            data-testid="bidi-digits"
            value={digits}
            maxLength={60}
            onChange={(e) => setDigits(e.target.value)}
          />
        </label>
        <label className="field">
          Training steps{' '}
          <input
            data-testid="bidi-steps"
            type="number"
            min={1}
            max={2000}
            value={steps}
            onChange={(e) => setSteps(Number(e.target.value))}
          />
        </label>
      </div>
      <RunControls
        id="bidi"
        state={run.state}
        error={run.error}
        tensors={run.tensors}
        onTrain={train}
        onControl={run.control}
        trainLabel="Train both taggers"
      />
      {acc ? (
        <p data-testid="bidi-accuracy" data-uni={acc.uni} data-bi={acc.bi}>
          Held-out accuracy (256 strings): forward only{' '}
          <strong>{(acc.uni * 100).toFixed(1)}%</strong>, bidirectional{' '}
          <strong>{(acc.bi * 100).toFixed(1)}%</strong> ({((acc.bi - acc.uni) * 100).toFixed(1)}{' '}
          points from the backward direction).
        </p>
      ) : null}
      <div
        data-testid="bidi-loss-values"
        data-first={loss[0] ? loss[0].uni + loss[0].bi : ''}
        data-last={
          loss.length ? (loss[loss.length - 1]?.uni ?? 0) + (loss[loss.length - 1]?.bi ?? 0) : ''
        }
      >
        <PlotFigure
          testId="bidi-loss"
          options={lossOptions}
          label="Training loss of both taggers"
        />
      </div>
      {result && heatmaps ? (
        <>
          <table className="small" data-testid="bidi-tags">
            <tbody>
              <tr>
                <th>digit</th>
                {result.digits.map((d, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: positions
                  <td key={i}>{d}</td>
                ))}
              </tr>
              <tr>
                <th>peak?</th>
                {result.r.truth.map((t, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: positions
                  <td key={i}>{t ? 'yes' : ''}</td>
                ))}
              </tr>
              {(['uni', 'bi'] as const).map((k) => (
                <tr key={k}>
                  <th>{k === 'uni' ? 'forward only' : 'bidirectional'} P(peak)</th>
                  {result.r.tags[k].map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: positions
                    <td key={i}>{p.toFixed(2)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="lab-grid">
            <PlotFigure testId="bidi-forward" options={heatmaps.forward} label="Forward states" />
            <PlotFigure
              testId="bidi-backward"
              options={heatmaps.backward}
              label="Backward states"
            />
            <PlotFigure
              testId="bidi-concat"
              options={heatmaps.concat}
              label="Concatenated states: what the tagger's head reads"
            />
          </div>
        </>
      ) : null}
    </div>
  );
}
