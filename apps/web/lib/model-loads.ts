// One load per model per worker, shared by everyone who asks, with progress fanned out to all of them.
import type { LoadProgress } from './model-types';
import type { ReplyTo, WorkerClient } from './worker-client';

type LoadReply = ReplyTo<{ type: 'load'; model: string }>;

interface Loading {
  promise: Promise<LoadReply>;
  listeners: Set<(p: LoadProgress) => void>;
  last: LoadProgress | null;
}

const perClient = new WeakMap<WorkerClient, Map<string, Loading>>();

/**
 * Loads `model` in the client's worker once: later callers join the same load and receive its
 * progress from where it is. A failed load is forgotten, so asking again retries.
 *
 * @example
 * ensureModel(translateWorker(), 'translate-en-es', (p) => setFraction(p.fraction));
 */
export function ensureModel(
  client: WorkerClient,
  model: string,
  onProgress?: (p: LoadProgress) => void,
): Promise<LoadReply> {
  let loads = perClient.get(client);
  if (!loads) {
    loads = new Map();
    perClient.set(client, loads);
  }
  let l = loads.get(model);
  if (!l) {
    const entry: Loading = {
      listeners: new Set(),
      last: null,
      promise: Promise.resolve() as unknown as Promise<LoadReply>,
    };
    entry.promise = client.call({ type: 'load', model }, (p) => {
      entry.last = p;
      for (const fn of entry.listeners) fn(p);
    });
    entry.promise.catch(() => loads.delete(model));
    loads.set(model, entry);
    l = entry;
  }
  if (onProgress) {
    l.listeners.add(onProgress);
    if (l.last) onProgress(l.last);
    const entry = l;
    const off = () => entry.listeners.delete(onProgress);
    l.promise.then(off, off);
  }
  return l.promise;
}
