// Headless Debian Chromium as this project drives it (browser tests, perf and kernel benchmarks).

/** The browser binary: Debian's chromium, or CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags every launch needs here: headless without a sandbox or GPU, and none of the background
 * networking that this machine's closed network refuses (and Chromium retries at every start).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
