// Main-thread side of the /train worker: one promise per request; a run's events reach a callback.
import type { TrainEvent, TrainReply, TrainRequestBody } from './train-protocol';

export type TrainReplyTo<B extends TrainRequestBody> = B['type'] extends
  | 'start'
  | 'start-caption'
  | 'start-series'
  | 'resume-stored'
  | 'control'
  | 'discard-stored'
  | 'save-model'
  ? Extract<TrainReply, { type: 'ok' }>
  : Extract<TrainReply, { type: B['type'] }>;

interface Pending {
  resolve(r: TrainReply): void;
  reject(e: Error): void;
  onEvent?: (e: TrainEvent) => void;
}

/**
 * @example
 * const c = trainClient();
 * await c.call({ type: 'start', settings, fileName, pairs }, (e) => console.log(e));
 */
export class TrainClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly worker: Worker) {
    worker.addEventListener('message', (ev: MessageEvent) => this.receive(ev.data as TrainReply));
    worker.addEventListener('error', (ev: ErrorEvent) => {
      const e = new Error(ev.message || 'the training worker failed to start');
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  call<B extends TrainRequestBody>(
    body: B,
    onEvent?: (e: TrainEvent) => void,
  ): Promise<TrainReplyTo<B>> {
    const id = this.nextId++;
    return new Promise<TrainReplyTo<B>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: TrainReply) => void, reject, onEvent });
      this.worker.postMessage({ ...body, id });
    });
  }

  private receive(r: TrainReply): void {
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

let client: TrainClient | null = null;

/** The page's one training worker, started on first use. */
export function trainClient(): TrainClient {
  client ??= new TrainClient(
    new Worker('/workers/train/train.js', { type: 'module', name: 'train' }),
  );
  return client;
}
