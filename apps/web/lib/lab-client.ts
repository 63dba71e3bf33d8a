// Main-thread side of the lab worker: one promise per request, training events to a callback.
import type { LabEvent, LabReply, LabRequestBody } from './lab-protocol';

/** The reply type for a request body. */
export type LabReplyTo<B extends LabRequestBody> = Extract<LabReply, { type: B['type'] }>;

interface Pending {
  resolve(r: LabReply): void;
  reject(e: Error): void;
  onEvent?: (e: LabEvent) => void;
}

/**
 * Talks to the lab worker; a training request's events arrive through `onEvent` before its reply.
 * The returned `id` of {@link LabClient.start} names the run for pause/resume/stop.
 * @example
 * const lab = labClient();
 * const { result } = await lab.call({ type: 'langid', text: 'Abrir archivo' });
 */
export class LabClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data as LabReply));
    worker.addEventListener('error', (ev: ErrorEvent) => {
      const e = new Error(ev.message || 'the lab worker failed to start');
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  /** Sends a request and resolves with its reply. */
  call<B extends LabRequestBody>(body: B, onEvent?: (e: LabEvent) => void): Promise<LabReplyTo<B>> {
    return this.start(body, onEvent).reply;
  }

  /** Like {@link call}, also returning the request id (a training run's handle). */
  start<B extends LabRequestBody>(
    body: B,
    onEvent?: (e: LabEvent) => void,
  ): { id: number; reply: Promise<LabReplyTo<B>> } {
    const id = this.nextId++;
    const reply = new Promise<LabReplyTo<B>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: LabReply) => void, reject, onEvent });
      this.worker.postMessage({ ...body, id });
    });
    return { id, reply };
  }

  /** Pauses, resumes or stops a training run. */
  control(run: number, action: 'pause' | 'resume' | 'stop'): void {
    this.call({ type: 'control', run, action }).catch(() => {});
  }

  private receive(r: LabReply): void {
    const p = this.pending.get(r?.id);
    if (!p) return;
    if (r.type === 'event') {
      p.onEvent?.(r.event);
      return;
    }
    this.pending.delete(r.id);
    if (r.type === 'error') p.reject(new Error(r.message));
    else p.resolve(r);
  }
}

let client: LabClient | null = null;

/** The page's one lab worker, started on first use. */
export function labClient(): LabClient {
  client ??= new LabClient(new Worker('/workers/lab/lab.js', { type: 'module', name: 'lab' }));
  return client;
}
