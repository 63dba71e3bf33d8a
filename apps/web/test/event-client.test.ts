// EventClient: replies reach their own request, events arrive before the reply, errors reject,
// a worker that fails to start rejects every open request, and stray messages are ignored.
import { describe, expect, it } from 'vitest';
import { EventClient, type EventWorker } from '../lib/event-client';

type Body = { type: 'run'; n: number } | { type: 'ask'; q: string };
type Reply = { id: number; type: 'ok' } | { id: number; type: 'answer'; a: string };

/** A worker whose replies the test sends by hand. */
function fakeWorker() {
  const sent: (Body & { id: number })[] = [];
  const listeners: Record<string, ((ev: never) => void)[]> = { message: [], error: [] };
  const worker: EventWorker = {
    postMessage: (m) => sent.push(m as Body & { id: number }),
    addEventListener: (type: string, l: (ev: never) => void) => listeners[type]?.push(l),
  };
  const reply = (data: unknown) => {
    for (const l of listeners.message ?? []) l({ data } as never);
  };
  const fail = (message: string) => {
    for (const l of listeners.error ?? []) l({ message } as never);
  };
  return { worker, sent, reply, fail };
}

describe('EventClient', () => {
  it('routes events and replies by id, in order, and rejects error replies', async () => {
    const w = fakeWorker();
    const c = new EventClient<Body, Reply, number>(w.worker, 'the test worker');
    const events: number[] = [];
    const a = c.start({ type: 'run', n: 3 }, (e) => events.push(e));
    const b = c.start({ type: 'ask', q: 'why' });
    expect(w.sent).toEqual([
      { type: 'run', n: 3, id: a.id },
      { type: 'ask', q: 'why', id: b.id },
    ]);
    expect(a.id).not.toBe(b.id);
    w.reply({ id: b.id, type: 'answer', a: 'because' });
    w.reply({ id: a.id, type: 'event', event: 1 });
    w.reply({ id: a.id, type: 'event', event: 2 });
    w.reply({ id: 999, type: 'ok' }); // nobody asked
    w.reply(null);
    w.reply({ type: 'ok' });
    expect(c.inFlight).toBe(1);
    w.reply({ id: a.id, type: 'ok' });
    await expect(b.reply).resolves.toEqual({ id: b.id, type: 'answer', a: 'because' });
    await expect(a.reply).resolves.toEqual({ id: a.id, type: 'ok' });
    expect(events).toEqual([1, 2]);
    expect(c.inFlight).toBe(0);

    const e = c.start({ type: 'ask', q: 'bad' });
    w.reply({ id: e.id, type: 'error', message: 'no such model' });
    await expect(e.reply).rejects.toThrow('no such model');
    w.reply({ id: e.id, type: 'ok' }); // a second reply to a settled request changes nothing
  });

  it('rejects every open request when the worker fails to start', async () => {
    const w = fakeWorker();
    const c = new EventClient<Body, Reply, number>(w.worker, 'the test worker');
    const a = c.start({ type: 'run', n: 1 });
    const b = c.start({ type: 'ask', q: 'x' });
    w.fail('');
    await expect(a.reply).rejects.toThrow('the test worker failed to start');
    await expect(b.reply).rejects.toThrow('the test worker failed to start');
    expect(c.inFlight).toBe(0);
  });
});
