'use client';
// Shows the worker's backend, the model's loading progress, and load errors with a retry button.
import type { UseModel } from '@/lib/use-model';

function formatBytes(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${n} B`;
}

/** Status strip above a demo: backend badge, progress bar while loading, error with retry. */
export function ModelStatus({ state, label }: { state: UseModel; label: string }) {
  const { backend, backendError, model, retry } = state;
  return (
    <div className="status" aria-live="polite">
      <span className="badge" data-testid="backend" title={backend?.reason}>
        {backend
          ? `Backend: ${backend.name}`
          : backendError
            ? 'Backend: failed'
            : 'Backend: starting…'}
      </span>
      {backend ? <span className="muted small">{backend.reason}</span> : null}
      {backendError ? (
        <p className="error" role="alert">
          The model worker could not start: {backendError}
        </p>
      ) : null}
      {model.status === 'loading' ? (
        <div className="progress" data-testid="model-progress">
          <label>
            Loading {label}
            {model.progress
              ? ` (${formatBytes(model.progress.loadedBytes)} of ${formatBytes(model.progress.totalBytes)})`
              : '…'}
            <progress max={1} value={model.progress ? model.progress.fraction : undefined} />
          </label>
        </div>
      ) : null}
      {model.status === 'ready' ? (
        <span className="muted small" data-testid="model-ready">
          {label} ready ({Math.round(model.ms)} ms to load)
        </span>
      ) : null}
      {model.status === 'error' ? (
        <div className="error" role="alert" data-testid="model-error">
          <p>
            Could not load {label}: {model.message}
          </p>
          <button type="button" onClick={retry}>
            Try again
          </button>
        </div>
      ) : null}
    </div>
  );
}
