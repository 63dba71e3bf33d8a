// Main-thread side of the "use your own model" worker: one promise per request.
import type { ImportedReply, ImportedRequestBody } from './imported-protocol';

type Ok = Exclude<ImportedReply, { type: 'error' }>;

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(r: Ok): void; reject(e: Error): void }>();

function start(): Worker {
  if (worker) return worker;
  const w = new Worker('/workers/imported/imported.js', { type: 'module', name: 'imported' });
  w.addEventListener('message', (ev: MessageEvent) => {
    const r = ev.data as ImportedReply;
    const p = pending.get(r?.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.type === 'error') p.reject(new Error(r.message));
    else p.resolve(r);
  });
  w.addEventListener('error', (ev: ErrorEvent) => {
    for (const p of pending.values()) p.reject(new Error(ev.message || 'the model worker failed'));
    pending.clear();
  });
  worker = w;
  return w;
}

/**
 * @example const r = await importedCall({ type: 'load-url', url: '/my-models/en-fr' });
 */
export function importedCall(body: ImportedRequestBody): Promise<Ok> {
  const w = start();
  const id = nextId++;
  return new Promise<Ok>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ ...body, id });
  });
}
