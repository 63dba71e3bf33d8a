// Main-thread side of the /train worker: one promise per request; a run's events reach a callback.
import { EventClient } from './event-client';
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

/**
 * @example
 * const c = trainClient();
 * await c.call({ type: 'start', settings, fileName, pairs }, (e) => console.log(e));
 */
export class TrainClient {
  private readonly client: EventClient<TrainRequestBody, TrainReply, TrainEvent>;

  constructor(worker: Worker) {
    this.client = new EventClient(worker, 'the training worker');
  }

  call<B extends TrainRequestBody>(
    body: B,
    onEvent?: (e: TrainEvent) => void,
  ): Promise<TrainReplyTo<B>> {
    return this.client.start(body, onEvent).reply as Promise<TrainReplyTo<B>>;
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
