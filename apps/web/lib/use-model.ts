'use client';
// React hook: starts a task's worker, reports its backend, and loads one model with progress.
import { useCallback, useEffect, useState } from 'react';
import { ensureModel } from './model-loads';
import type { LoadProgress } from './model-types';
import type { BackendInfo, ModelInfo } from './protocol';
import type { WorkerClient } from './worker-client';
import { requestedBackend } from './workers';

export type ModelState =
  | { status: 'idle' }
  | { status: 'loading'; progress: LoadProgress | null }
  | { status: 'ready'; info: ModelInfo; ms: number }
  | { status: 'error'; message: string };

export interface UseModel {
  backend: BackendInfo | null;
  backendError: string | null;
  model: ModelState;
  /** Loads the model again after a failure. */
  retry(): void;
}

/**
 * Starts the worker on mount (so the backend shows at once) and loads `modelName` whenever it
 * changes; `null` loads nothing yet.
 *
 * @example
 * const { backend, model } = useModel(translateWorker, 'translate-en-es');
 */
export function useModel(getClient: () => WorkerClient, modelName: string | null): UseModel {
  const [backend, setBackend] = useState<BackendInfo | null>(null);
  const [backendError, setBackendError] = useState<string | null>(null);
  const [model, setModel] = useState<ModelState>({ status: 'idle' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    getClient()
      .call({ type: 'init', backend: requestedBackend() })
      .then(
        (r) => live && setBackend(r.backend),
        (e: Error) => live && setBackendError(e.message),
      );
    return () => {
      live = false;
    };
  }, [getClient]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: attempt is a trigger so retry() reloads the same model.
  useEffect(() => {
    if (!modelName) return;
    let live = true;
    setModel({ status: 'loading', progress: null });
    ensureModel(
      getClient(),
      modelName,
      (p) => live && setModel({ status: 'loading', progress: p }),
    ).then(
      (r) => live && setModel({ status: 'ready', info: r.info, ms: r.ms }),
      (e: Error) => live && setModel({ status: 'error', message: e.message }),
    );
    return () => {
      live = false;
    };
  }, [getClient, modelName, attempt]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  return { backend, backendError, model, retry };
}
