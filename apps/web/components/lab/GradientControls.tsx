'use client';
// Section 3's controls: sequence length, steps, cells, and one control per fix the primer names.
import type { CellKind, GradientRunSettings } from '@/lib/lab-protocol';

export const CELLS: CellKind[] = ['simpleRNN', 'gru', 'lstm'];
export const CELL_NAMES: Record<CellKind, string> = {
  simpleRNN: 'SimpleRNN',
  gru: 'GRU',
  lstm: 'LSTM',
};

/** The fixes that are on/off switches with a value (clipping threshold, truncation k). */
export interface Switches {
  clipOn: boolean;
  clipAt: number;
  truncOn: boolean;
  k: number;
}

/** The settings form; `set` changes one run setting, `setSw` the clipping/truncation switches. */
export function GradientControls({
  s,
  set,
  sw,
  setSw,
}: {
  s: GradientRunSettings;
  set: <K extends keyof GradientRunSettings>(key: K, v: GradientRunSettings[K]) => void;
  sw: Switches;
  setSw: (next: Partial<Switches>) => void;
}) {
  const { clipOn, clipAt, truncOn, k } = sw;
  const setClipOn = (v: boolean) => setSw({ clipOn: v });
  const setClipAt = (v: number) => setSw({ clipAt: v });
  const setTruncOn = (v: boolean) => setSw({ truncOn: v });
  const setK = (v: number) => setSw({ k: v });
  return (
    <div className="controls lab-controls">
      <label className="field">
        Task{' '}
        <select
          data-testid="grad-task"
          value={s.task}
          onChange={(e) => set('task', e.target.value as GradientRunSettings['task'])}
        >
          <option value="adding">adding problem (sum two marked numbers)</option>
          <option value="copy">copy task (repeat 5 symbols after a delay)</option>
        </select>
      </label>
      <label className="field">
        Sequence length T{' '}
        <input
          data-testid="grad-time"
          type="range"
          min={15}
          max={100}
          step={5}
          value={s.time}
          onChange={(e) => set('time', Number(e.target.value))}
        />{' '}
        {s.time}
      </label>
      <label className="field">
        Training steps{' '}
        <input
          data-testid="grad-steps"
          type="number"
          min={1}
          max={2000}
          value={s.steps}
          onChange={(e) => set('steps', Number(e.target.value))}
        />
      </label>
      <fieldset className="field">
        <legend>Cells</legend>
        {CELLS.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              data-testid={`grad-cell-${c}`}
              checked={s.cells.includes(c)}
              onChange={(e) =>
                set(
                  'cells',
                  e.target.checked
                    ? CELLS.filter((x) => x === c || s.cells.includes(x))
                    : s.cells.filter((x) => x !== c),
                )
              }
            />{' '}
            {CELL_NAMES[c]}
          </label>
        ))}
      </fieldset>
      <label className="field">
        SimpleRNN activation{' '}
        <select
          data-testid="grad-activation"
          value={s.activation}
          onChange={(e) => set('activation', e.target.value as 'tanh' | 'relu')}
        >
          <option value="tanh">tanh</option>
          <option value="relu">ReLU</option>
        </select>
      </label>
      <label className="field">
        Recurrent init{' '}
        <select
          data-testid="grad-init"
          value={s.init}
          onChange={(e) => set('init', e.target.value as GradientRunSettings['init'])}
        >
          <option value="orthogonal">orthogonal</option>
          <option value="glorot">Glorot uniform</option>
          <option value="identity">identity (IRNN with ReLU)</option>
        </select>
      </label>
      <label className="field">
        Init scale (gain){' '}
        <input
          data-testid="grad-gain"
          type="number"
          min={0.1}
          max={3}
          step={0.1}
          value={s.gain}
          onChange={(e) => set('gain', Number(e.target.value))}
        />
      </label>
      <label className="field">
        <input
          data-testid="grad-clip-on"
          type="checkbox"
          checked={clipOn}
          onChange={(e) => setClipOn(e.target.checked)}
        />{' '}
        Clip gradient norm at{' '}
        <input
          data-testid="grad-clip"
          aria-label="clipping threshold"
          type="number"
          min={0.01}
          step={0.1}
          value={clipAt}
          onChange={(e) => setClipAt(Number(e.target.value))}
        />
      </label>
      <label className="field">
        <input
          data-testid="grad-trunc-on"
          type="checkbox"
          checked={truncOn}
          onChange={(e) => setTruncOn(e.target.checked)}
        />{' '}
        Truncated BPTT, k ={' '}
        <input
          data-testid="grad-k"
          aria-label="truncation length k"
          type="number"
          min={1}
          max={100}
          value={k}
          onChange={(e) => setK(Number(e.target.value))}
        />
      </label>
    </div>
  );
}
