// Main-thread side of a worker that streams events: one promise per request, the request's events
// to its callback before its reply. The lab worker and the /train worker both speak it.

/** The part of Worker the client uses (tests pass a fake). */
export interface EventWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (ev: ErrorEvent) => void): void;
}

/** What such a worker replies: its events, an error, or any other reply, each with the request's id. */
export type EventReply<E> =
  | { id: number; type: 'event'; event: E }
  | { id: number; type: 'error'; message: string }
  | { id: number; type: string };

interface Pending<R, E> {
  resolve(r: R): void;
  reject(e: Error): void;
  onEvent?: (e: E) => void;
}

/**
 * Sends `{ ...body, id }` to the worker; resolves with the reply carrying that id, rejects with an
 * `error` reply's message (or every open request when the worker fails to start).
 *
 * @example
 * const c = new EventClient<Body, Reply, Ev>(new Worker(url, { type: 'module' }), 'the lab worker');
 * const { id, reply } = c.start({ type: 'train' }, (e) => console.log(e));
 */
export class EventClient<B extends { type: string }, R extends { id: number; type: string }, E> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<R, E>>();

  constructor(
    private readonly worker: EventWorker,
    what: string,
  ) {
    worker.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
    worker.addEventListener('error', (ev: ErrorEvent) => {
      const e = new Error(ev.message || `${what} failed to start`);
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  /** Sends a request; returns its id (a run's handle) and the promise of its reply. */
  start(body: B, onEvent?: (e: E) => void): { id: number; reply: Promise<R> } {
    const id = this.nextId++;
    const reply = new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onEvent });
      this.worker.postMessage({ ...body, id });
    });
    return { id, reply };
  }

  /** Requests still waiting for their reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  private receive(data: unknown): void {
    const r = data as EventReply<E> | null;
    const p = typeof r?.id === 'number' ? this.pending.get(r.id) : undefined;
    if (!r || !p) return;
    if (r.type === 'event') {
      p.onEvent?.((r as { event: E }).event);
      return;
    }
    this.pending.delete(r.id);
    if (r.type === 'error') p.reject(new Error((r as { message: string }).message));
    else p.resolve(r as unknown as R);
  }
}
