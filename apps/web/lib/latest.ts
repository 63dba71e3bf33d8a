// Latest-only runner: while one job runs, only the newest waiting job is kept; older ones are dropped.

/** Returned in place of a result when a newer job replaced this one before it started. */
export const SUPERSEDED: unique symbol = Symbol('superseded');

/**
 * Runs async jobs one at a time and never queues more than one: typing fast sends the worker
 * the text as it is now, not every intermediate prefix.
 *
 * @example
 * const runner = new LatestOnly();
 * const r = await runner.run(() => client.call({ type: 'translate', ... }));
 * if (r !== SUPERSEDED) show(r);
 */
export class LatestOnly {
  private running = false;
  private waiting: {
    job: () => Promise<unknown>;
    settle: (r: unknown) => void;
    fail: (e: unknown) => void;
  } | null = null;

  run<R>(job: () => Promise<R>): Promise<R | typeof SUPERSEDED> {
    return new Promise((resolve, reject) => {
      this.waiting?.settle(SUPERSEDED);
      this.waiting = { job, settle: resolve as (r: unknown) => void, fail: reject };
      this.pump();
    });
  }

  /** True while a job runs or waits. */
  get busy(): boolean {
    return this.running || this.waiting !== null;
  }

  private pump(): void {
    if (this.running || !this.waiting) return;
    const { job, settle, fail } = this.waiting;
    this.waiting = null;
    this.running = true;
    // running is cleared before the caller resumes, so `busy` is already false when it reads it.
    const done = (report: () => void) => {
      this.running = false;
      report();
      this.pump();
    };
    job().then(
      (r) => done(() => settle(r)),
      (e) => done(() => fail(e)),
    );
  }
}
