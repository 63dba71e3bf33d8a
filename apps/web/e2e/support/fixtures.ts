// Playwright fixtures of the browser tests: a page whose console errors fail the test, and
// screenshots kept in test-artifacts/. Every spec imports `test` and `expect` from here.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
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
  page: async ({ page, allowConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
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
