// Trailing-edge debounce with cancel/flush, for translate-as-you-type.

export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** Drops the scheduled call, if any. */
  cancel(): void;
  /** Runs the scheduled call now, if any. */
  flush(): void;
  /** True while a call is scheduled. */
  pending(): boolean;
}

/**
 * Delays `fn` until `waitMs` have passed without another call; the last arguments win.
 *
 * @example
 * const go = debounce((text: string) => translate(text), 250);
 * go('Op'); go('Open'); // translate('Open') once, 250 ms after the last keystroke
 */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  waitMs: number,
): Debounced<A> {
  if (!(waitMs >= 0)) throw new Error(`debounce wait must be a number ≥ 0 ms, got ${waitMs}.`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastArgs: A | undefined;
  const run = () => {
    timer = undefined;
    const args = lastArgs;
    lastArgs = undefined;
    if (args) fn(...args);
  };
  const d = ((...args: A) => {
    lastArgs = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, waitMs);
  }) as Debounced<A>;
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    lastArgs = undefined;
  };
  d.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    run();
  };
  d.pending = () => timer !== undefined;
  return d;
}
