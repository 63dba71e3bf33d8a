'use client';
// Section 3: vanishing and exploding gradients. SimpleRNN, GRU and LSTM train side by side on the
// adding problem; every fix the primer names is a control.
import * as Plot from '@observablehq/plot';
import { useMemo, useState } from 'react';
import type { CellKind, GradientRunSettings, LabEvent } from '@/lib/lab-protocol';
import { CELL_NAMES, CELLS, GradientControls, type Switches } from './GradientControls';
import { OKABE_ITO, PlotFigure } from './PlotFigure';
import { RunControls } from './RunControls';
import { useTraining } from './useLab';

const colour = { domain: CELLS.map((c) => CELL_NAMES[c]), range: OKABE_ITO, legend: true };

interface CellTrace {
  loss: { step: number; v: number }[];
  norm: { step: number; raw: number; applied: number }[];
  stepNorms: number[];
}

const empty = (): Record<CellKind, CellTrace> => ({
  simpleRNN: { loss: [], norm: [], stepNorms: [] },
  gru: { loss: [], norm: [], stepNorms: [] },
  lstm: { loss: [], norm: [], stepNorms: [] },
});

export function GradientsSection() {
  const [s, setS] = useState<GradientRunSettings>({
    task: 'adding',
    time: 40,
    steps: 150,
    batch: 32,
    units: 16,
    activation: 'tanh',
    init: 'orthogonal',
    gain: 1,
    clip: null,
    truncate: null,
    learningRate: 0.01,
    cells: CELLS,
  });
  const [sw, setSw] = useState<Switches>({ clipOn: false, clipAt: 1, truncOn: false, k: 10 });
  const [traces, setTraces] = useState(empty);
  const [ran, setRan] = useState<GradientRunSettings | null>(null);

  const onEvents = (events: LabEvent[]) =>
    setTraces((prev) => {
      const next = { ...prev };
      for (const e of events) {
        if (e.kind !== 'gradients') continue;
        const t = next[e.cell];
        next[e.cell] = {
          loss: [...t.loss, { step: e.step, v: e.result.loss }],
          norm: [
            ...t.norm,
            { step: e.step, raw: e.result.gradNorm, applied: e.result.appliedNorm },
          ],
          stepNorms: e.result.stepNorms,
        };
      }
      return next;
    });
  const run = useTraining<{ type: 'train-gradients'; settings: GradientRunSettings }>(onEvents);
  const train = () => {
    const settings = {
      ...s,
      clip: sw.clipOn ? sw.clipAt : null,
      truncate: sw.truncOn ? sw.k : null,
    };
    setTraces(empty());
    setRan(settings);
    void run.start({ type: 'train-gradients', settings });
  };
  const set = <K extends keyof GradientRunSettings>(key: K, v: GradientRunSettings[K]) =>
    setS((p) => ({ ...p, [key]: v }));
  // Memoised so typing in a control does not redraw the charts.
  const shown = useMemo(
    () => (ran?.cells ?? CELLS).filter((c) => traces[c].loss.length > 0),
    [ran, traces],
  );

  const copy = ran?.task === 'copy';
  const lossOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 220,
      x: { label: 'training step (batch of 32)' },
      y: copy
        ? {
            label: 'cross-entropy per copied symbol (nats)',
            grid: true,
            domain: [0, 2.5],
            clamp: true,
          }
        : { label: 'mean squared error', grid: true, domain: [0, 0.5], clamp: true },
      color: colour,
      marks: [
        // The baseline: always answering 1 (adding), or guessing one of 8 symbols (copy).
        Plot.ruleY([copy ? Math.log(8) : 0.167], { stroke: '#888', strokeDasharray: '4 3' }),
        ...shown.map((c) =>
          Plot.lineY(traces[c].loss, { x: 'step', y: 'v', stroke: () => CELL_NAMES[c] }),
        ),
      ],
    }),
    [traces, shown, copy],
  );
  const stepOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 220,
      x: { label: 'time step t of the sequence (the loss is at the last step)' },
      y: { label: '‖∂loss/∂hₜ‖ (log scale)', type: 'log', grid: true },
      color: colour,
      marks: shown.map((c) =>
        Plot.lineY(
          traces[c].stepNorms.map((v, t) => ({ t, v })).filter((d) => d.v > 0),
          { x: 't', y: 'v', stroke: () => CELL_NAMES[c] },
        ),
      ),
    }),
    [traces, shown],
  );
  const normOptions = useMemo<Plot.PlotOptions>(
    () => ({
      height: 220,
      x: { label: 'training step' },
      y: { label: 'gradient norm, all weights (log scale)', type: 'log', grid: true },
      color: colour,
      marks: [
        ...(ran?.clip
          ? [Plot.ruleY([ran.clip], { stroke: '#D55E00', strokeDasharray: '6 3' })]
          : []),
        ...shown.flatMap((c) => [
          Plot.lineY(traces[c].norm, {
            x: 'step',
            y: 'raw',
            stroke: () => CELL_NAMES[c],
            strokeOpacity: 0.35,
          }),
          Plot.lineY(traces[c].norm, {
            x: 'step',
            y: 'applied',
            stroke: () => CELL_NAMES[c],
            strokeWidth: 2,
          }),
        ]),
      ],
    }),
    [traces, shown, ran],
  );

  return (
    <div>
      <GradientControls s={s} set={set} sw={sw} setSw={(n) => setSw((p) => ({ ...p, ...n }))} />
      <RunControls
        id="grad"
        state={run.state}
        error={run.error}
        tensors={run.tensors}
        onTrain={train}
        onControl={run.control}
      />
      <table className="small" data-testid="grad-table">
        <thead>
          <tr>
            <th>cell</th>
            <th>steps</th>
            <th>last loss</th>
            <th>max gradient norm</th>
            <th>max applied norm</th>
            <th>‖∂loss/∂h₀‖ ÷ ‖∂loss/∂h_T‖</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => {
            const t = traces[c];
            const maxRaw = Math.max(...t.norm.map((n) => n.raw));
            const maxApplied = Math.max(...t.norm.map((n) => n.applied));
            const first = t.stepNorms.find((v) => v > 0) ?? 0;
            const ratio = first / (t.stepNorms[t.stepNorms.length - 1] ?? 1);
            return (
              <tr
                key={c}
                data-testid={`grad-row-${c}`}
                data-max-raw={maxRaw}
                data-max-applied={maxApplied}
                data-steps={t.loss.length}
              >
                <td>{CELL_NAMES[c]}</td>
                <td>{t.loss.length}</td>
                <td>{t.loss[t.loss.length - 1]?.v.toFixed(4)}</td>
                <td>{maxRaw.toPrecision(3)}</td>
                <td>{maxApplied.toPrecision(3)}</td>
                <td>{ratio.toExponential(1)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="lab-grid">
        <PlotFigure
          testId="grad-loss"
          options={lossOptions}
          label={
            copy
              ? 'Loss per training step (dashed: guessing among 8 symbols, ln 8 ≈ 2.08 nats)'
              : 'Loss per training step (dashed: always answering 1, MSE ≈ 0.167)'
          }
        />
        <PlotFigure
          testId="grad-steps-chart"
          options={stepOptions}
          label="Gradient reaching each time step, latest training step"
          description="A falling line going left means the gradient vanishes on its way back; a rising one, that it explodes."
        />
        <PlotFigure
          testId="grad-norm"
          options={normOptions}
          label="Gradient norm per training step: faint before clipping, bold as applied (dashed red: the threshold)"
        />
      </div>
    </div>
  );
}
