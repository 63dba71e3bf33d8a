// Lazy singletons: one worker per task, started on first use and kept for the page's lifetime.
import { adoptBootWorker, type WorkerTask, workerUrl } from './boot';
import { ensureModel } from './model-loads';
import { type BackendInfo, isBackendName } from './protocol';
import { WorkerClient } from './worker-client';

let translate: WorkerClient | null = null;
let caption: WorkerClient | null = null;

/** The worker the page's boot script started (lib/boot.ts), else a new one. */
function startWorker(task: WorkerTask): Worker {
  return adoptBootWorker(task) ?? new Worker(workerUrl(task), { type: 'module', name: task });
}

/** The translation worker (tfjs and the translators live there, never on the main thread). */
export function translateWorker(): WorkerClient {
  translate ??= new WorkerClient(startWorker('translate'));
  return translate;
}

/** The captioning worker. */
export function captionWorker(): WorkerClient {
  caption ??= new WorkerClient(startWorker('caption'));
  return caption;
}

/** `?backend=wasm` (or webgl, webgpu, cpu) in the page URL pins the backend, for tests and the perf script. */
export function requestedBackend(): BackendInfo['name'] | undefined {
  if (typeof location === 'undefined') return undefined;
  const b = new URLSearchParams(location.search).get('backend');
  return isBackendName(b) ? b : undefined;
}

/**
 * Starts a worker, its backend and a model load at once, while React is still hydrating, so the
 * first result is not held up by the page's own start-up. Errors surface later through useModel.
 */
export function startEarly(getClient: () => WorkerClient, model: string): void {
  if (typeof window === 'undefined') return;
  const client = getClient();
  client.call({ type: 'init', backend: requestedBackend() }).catch(() => {});
  ensureModel(client, model).catch(() => {});
}
