// Main-thread side of the lab worker: one promise per request, training events to a callback.
import { EventClient } from './event-client';
import type { LabEvent, LabReply, LabRequestBody } from './lab-protocol';

/** The reply type for a request body. */
export type LabReplyTo<B extends LabRequestBody> = Extract<LabReply, { type: B['type'] }>;

/**
 * Talks to the lab worker; a training request's events arrive through `onEvent` before its reply.
 * The returned `id` of {@link LabClient.start} names the run for pause/resume/stop.
 * @example
 * const lab = labClient();
 * const { result } = await lab.call({ type: 'langid', text: 'Abrir archivo' });
 */
export class LabClient {
  private readonly client: EventClient<LabRequestBody, LabReply, LabEvent>;

  constructor(worker: Worker) {
    this.client = new EventClient(worker, 'the lab worker');
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
    const { id, reply } = this.client.start(body, onEvent);
    return { id, reply: reply as Promise<LabReplyTo<B>> };
  }

  /** Pauses, resumes or stops a training run. */
  control(run: number, action: 'pause' | 'resume' | 'stop'): void {
    this.call({ type: 'control', run, action }).catch(() => {});
  }
}

let client: LabClient | null = null;

/** The page's one lab worker, started on first use. */
export function labClient(): LabClient {
  client ??= new LabClient(new Worker('/workers/lab/lab.js', { type: 'module', name: 'lab' }));
  return client;
}
