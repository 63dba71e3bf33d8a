import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { debounce } from '../lib/debounce';

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls once, with the last arguments, after the quiet period', () => {
    const fn = vi.fn();
    const d = debounce(fn, 250);
    d('O');
    vi.advanceTimersByTime(100);
    d('Op');
    vi.advanceTimersByTime(249);
    expect(fn).not.toHaveBeenCalled();
    d('Open');
    vi.advanceTimersByTime(250);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledWith('Open');
    expect(d.pending()).toBe(false);
  });

  it('cancel drops the pending call; flush runs it now', () => {
    const fn = vi.fn();
    const d = debounce(fn, 100);
    d(1);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(fn).not.toHaveBeenCalled();
    d(2);
    expect(d.pending()).toBe(true);
    d.flush();
    expect(fn).toHaveBeenCalledWith(2);
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(1);
    d.flush(); // nothing pending: no extra call
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('rejects a negative or NaN wait with a clear message', () => {
    expect(() => debounce(() => {}, -1)).toThrow(/≥ 0 ms, got -1/);
    expect(() => debounce(() => {}, Number.NaN)).toThrow(/got NaN/);
  });
});
