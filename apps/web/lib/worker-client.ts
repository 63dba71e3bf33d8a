// Main-thread side of the protocol: promise per request, progress callbacks, typed replies.
import type { LoadProgress } from './model-types';
import { isResponse, type RequestBody, type Response } from './protocol';

/** The part of Worker (or MessagePort) the client uses, so tests can run it over a MessageChannel. */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  addEventListener(type: 'error', listener: (ev: Event) => void): void;
  terminate?(): void;
}

/** Reply type for a request body: the worker answers with the request's own type (or an error). */
export type ReplyTo<B extends RequestBody> = Extract<Response, { type: B['type'] }>;

interface Pending {
  resolve(r: Response): void;
  reject(e: Error): void;
  onProgress?: (p: LoadProgress) => void;
}

/**
 * Talks to one model worker. Every call gets its own id; replies, progress events and errors
 * are routed back to the call that caused them.
 *
 * @example
 * const client = new WorkerClient(new Worker(url, { type: 'module' }));
 * const { backend } = await client.call({ type: 'init' });
 */
export class WorkerClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly port: PortLike) {
    port.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data));
    // A worker that fails to start (script error, CSP) fails every open call instead of hanging them.
    port.addEventListener('error', (ev: Event) => {
      const message = (ev as ErrorEvent).message || 'the model worker failed to start';
      this.failAll(new Error(message));
    });
  }

  /** Sends a request; resolves with the worker's reply, rejects with its error message. */
  call<B extends RequestBody>(
    body: B,
    onProgress?: (p: LoadProgress) => void,
    transfer?: Transferable[],
  ): Promise<ReplyTo<B>> {
    const id = this.nextId++;
    return new Promise<ReplyTo<B>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Response) => void, reject, onProgress });
      this.port.postMessage({ ...body, id }, transfer ?? []);
    });
  }

  /** Number of calls still waiting for a reply. */
  get inFlight(): number {
    return this.pending.size;
  }

  terminate(): void {
    this.port.terminate?.();
    this.failAll(new Error('the model worker was stopped'));
  }

  private receive(data: unknown): void {
    if (!isResponse(data)) {
      console.warn('model worker sent a malformed message', data);
      return;
    }
    const p = this.pending.get(data.id);
    if (!p) return;
    if (data.type === 'progress') {
      p.onProgress?.(data.progress);
      return;
    }
    this.pending.delete(data.id);
    if (data.type === 'error') p.reject(new Error(data.message));
    else p.resolve(data);
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
