// Playwright fixtures of the browser tests: a page whose console errors fail the test, and
// screenshots kept in test-artifacts/. Every spec imports `test` and `expect` from here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, type ConsoleMessage, expect } from '@playwright/test';
import { web } from '../launch.mjs';

/** Screenshots the tests take on purpose (failures get theirs in test-results/). */
export const artifactsDir = join(web, 'test-artifacts');

type Fixtures = {
  /**
   * Console errors (and uncaught page errors) matching one of these do not fail the test;
   * `test.use({ allowConsoleErrors: [/…/] })` in a describe block.
   */
  allowConsoleErrors: RegExp[];
  /** Saves a screenshot of `page` as test-artifacts/NAME.png and attaches it to the report. */
  saveScreenshot: (name: string, options?: { fullPage?: boolean }) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  allowConsoleErrors: [[], { option: true }],
  // The page of each test (a fresh context, as ever): every console error and uncaught exception
  // is recorded, and any that is not allowed fails the test when it ends.
  page: async ({ page, allowConsoleErrors, trace }, use) => {
    // Playwright's trace builds its DOM snapshots by fetching the page's blob: URLs (an uploaded
    // image's) from outside the page's scripts: the app's CSP (connect-src 'self') refuses them
    // and Chromium logs that with no script location. Those are the harness's, not the app's.
    const snapshots =
      typeof trace === 'string'
        ? trace !== 'off'
        : trace.mode !== 'off' && trace.snapshots !== false;
    const fromTraceSnapshot = (m: ConsoleMessage) =>
      snapshots && m.location().url === '' && /^Connecting to 'blob:/.test(m.text());
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !fromTraceSnapshot(m)) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    await use(page);
    const unexpected = errors.filter((e) => !allowConsoleErrors.some((re) => re.test(e)));
    expect(unexpected, 'console errors').toEqual([]);
  },
  saveScreenshot: async ({ page }, use, testInfo) => {
    mkdirSync(artifactsDir, { recursive: true });
    await use(async (name, options = {}) => {
      const path = join(artifactsDir, `${name}.png`);
      await page.screenshot({ path, fullPage: options.fullPage ?? false });
      await testInfo.attach(name, { path, contentType: 'image/png' });
    });
  },
});

export { expect };
