// Browser end-to-end tests (e2e/*.spec.ts): the production build served by `next start` on
// loopback, driven in the system's Debian Chromium (nothing is downloaded). See e2e/README.md.
import { defineConfig } from '@playwright/test';
import { freePort, launchOptions } from './e2e/launch.mjs';

// The port is chosen once, in the runner process; its worker processes load this file again and
// inherit the variable, so all agree. Set SEQLAB_E2E_PORT to pin it.
process.env.SEQLAB_E2E_PORT ??= String(await freePort());
const baseURL = `http://127.0.0.1:${process.env.SEQLAB_E2E_PORT}`;
const out = process.env.SEQLAB_E2E_OUT ?? 'test-artifacts';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.*',
  // One browser at a time: the machine has 2 cores, and the lab's responsiveness checks measure
  // the main thread of a page that must not share them with another test.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: !!process.env.CI,
  // Real models load and real training runs: minutes, not Playwright's default 30 s.
  timeout: 180_000,
  // Under test-artifacts/ (gitignored, kept by turbo, skipped by biome) beside the screenshots
  // the tests save: results/ holds each failed test's trace, screenshot and error context. Each
  // run empties it first; SEQLAB_E2E_OUT=test-artifacts/NAME keeps a run's results and report apart.
  outputDir: `${out}/results`,
  reporter: [['list'], ['html', { open: 'never', outputFolder: `${out}/report` }]],
  use: {
    browserName: 'chromium',
    launchOptions,
    baseURL,
    viewport: { width: 1200, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `node_modules/.bin/next start -H 127.0.0.1 -p ${process.env.SEQLAB_E2E_PORT}`,
    url: baseURL,
    env: { NEXT_TELEMETRY_DISABLED: '1' },
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
