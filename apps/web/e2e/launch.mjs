// How the browser tests and the perf script reach the app: Debian Chromium's launch options, a free
// loopback port, and (for the perf script) `next start` on it. Playwright's config uses the first two.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tooling/chromium.mjs';

/** apps/web, whatever the working directory. */
export const web = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Launch options for the system Chromium (nothing is downloaded; Playwright gives each launch a fresh profile). */
export const launchOptions = {
  executablePath: CHROMIUM_PATH,
  args: [
    ...CHROMIUM_ARGS,
    // A synthetic camera (a moving test pattern) for the webcam test; no real device is touched.
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // Headless Chromium 156 builds the omnibox's WebUI popup (AI-mode compose box) in every new
    // window, i.e. for each fresh context the perf script and e2e open: 1.1–1.6 s of CPU in a
    // renderer of its own, during the page's first load, on a 2-core machine. A user's browser
    // built it when its window opened. Neither popup is ever shown here.
    '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
  ],
};

/** A loopback port nothing listens on right now. */
export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

/** Starts `next start` on a free loopback port; resolves once it answers (the perf script's server). */
export async function startServer() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(
    join(web, 'node_modules', '.bin', 'next'),
    ['start', '-H', '127.0.0.1', '-p', String(port)],
    {
      cwd: web,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  server.stdout.on('data', (d) => (log += d));
  server.stderr.on('data', (d) => (log += d));
  const stop = () => server.kill('SIGTERM');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const r = await fetch(base);
      if (r.ok) return { base, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`next start did not answer on ${base} within 60 s.\n${log}`);
}

/** Headless Debian Chromium with the flags above (the perf script's browser). */
export const launchBrowser = () => chromium.launch(launchOptions);
