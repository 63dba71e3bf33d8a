'use client';
// Train / pause / resume / stop buttons and the run's state, shared by every training section.
import type { RunState } from './useLab';

export function RunControls({
  id,
  state,
  error,
  onTrain,
  onControl,
  trainLabel = 'Train',
  tensors = null,
}: {
  id: string;
  state: RunState;
  error: string | null;
  onTrain: () => void;
  onControl: (a: 'pause' | 'resume' | 'stop') => void;
  trainLabel?: string;
  tensors?: number | null;
}) {
  const active = state === 'running' || state === 'paused';
  return (
    <div className="row lab-run">
      <button type="button" data-testid={`${id}-train`} onClick={onTrain}>
        {active ? 'Restart' : trainLabel}
      </button>
      <button
        type="button"
        data-testid={`${id}-pause`}
        disabled={state !== 'running'}
        onClick={() => onControl('pause')}
      >
        Pause
      </button>
      <button
        type="button"
        data-testid={`${id}-resume`}
        disabled={state !== 'paused'}
        onClick={() => onControl('resume')}
      >
        Resume
      </button>
      <button
        type="button"
        data-testid={`${id}-stop`}
        disabled={!active}
        onClick={() => onControl('stop')}
      >
        Stop
      </button>
      <span
        className="muted small"
        data-testid={`${id}-state`}
        data-state={state}
        aria-live="polite"
      >
        {state === 'idle' ? 'not trained yet' : state}
      </span>
      {tensors !== null ? (
        <span className="muted small" data-testid={`${id}-tensors`} data-tensors={tensors}>
          tensors in the worker after the run: {tensors}
        </span>
      ) : null}
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
