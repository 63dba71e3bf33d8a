// Test helper: the real worker host and the real client joined by a MessageChannel instead of a Worker.
import { MessageChannel } from 'node:worker_threads';
import { type PortLike, WorkerClient } from '../lib/worker-client';
import { type ServeOptions, serve } from '../workers/host';

/** `sent` collects the type of every request the client posts. */
export function pair(
  sent: string[] = [],
  task: 'translate' | 'caption' = 'translate',
  opts: ServeOptions = {},
) {
  const { port1, port2 } = new MessageChannel();
  const scope = {
    onmessage: null as ((ev: MessageEvent) => void) | null,
    postMessage: (m: unknown) => port1.postMessage(m),
  };
  port1.on('message', (data) => scope.onmessage?.({ data } as MessageEvent));
  serve(scope, task, opts);
  const client = new WorkerClient({
    postMessage: (m: unknown) => {
      sent.push((m as { type: string }).type);
      port2.postMessage(m);
    },
    addEventListener: (type: string, fn: (ev: MessageEvent) => void) => {
      if (type === 'message') port2.on('message', (data) => fn({ data } as MessageEvent));
    },
    terminate: () => {
      port1.close();
      port2.close();
    },
  } as PortLike);
  return client;
}
