import { describe, expect, it } from 'vitest';
import { LatestOnly, SUPERSEDED } from '../lib/latest';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('LatestOnly', () => {
  it('runs one job at a time and keeps only the newest waiting job', async () => {
    const runner = new LatestOnly();
    const started: string[] = [];
    const gate = deferred<void>();
    const job = (name: string, wait?: Promise<void>) => async () => {
      started.push(name);
      await wait;
      return name;
    };
    const a = runner.run(job('a', gate.promise));
    const b = runner.run(job('b'));
    const c = runner.run(job('c'));
    expect(runner.busy).toBe(true);
    expect(started).toEqual(['a']);
    gate.resolve();
    expect(await a).toBe('a');
    expect(await b).toBe(SUPERSEDED);
    expect(await c).toBe('c');
    expect(started).toEqual(['a', 'c']);
    expect(runner.busy).toBe(false);
  });

  it('passes a failing job to its caller and keeps going', async () => {
    const runner = new LatestOnly();
    const bad = runner.run(async () => {
      throw new Error('boom');
    });
    const good = runner.run(async () => 7);
    await expect(bad).rejects.toThrow('boom');
    expect(await good).toBe(7);
  });
});
