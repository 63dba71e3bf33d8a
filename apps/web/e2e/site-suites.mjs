// End-to-end suites of the site as a whole: the home page, and the app offline through its service worker.
import { join } from 'node:path';
import { assert, backendReported, noHorizontalScroll } from './helpers.mjs';

export const homeSuites = [
  {
    id: 'home',
    name: 'home page says what seqlab is, links the demos and serves security headers',
    async run({ page, base, artifacts }) {
      const res = await page.goto(`${base}/`);
      assert(res?.ok(), `home page status ${res?.status()}`);
      const h1 = await page.textContent('h1');
      assert(h1?.includes('seqlab'), `expected h1 to name seqlab, got ${h1}`);
      const headers = res.headers();
      const csp = headers['content-security-policy'] ?? '';
      assert(csp.includes("frame-ancestors 'none'"), 'missing CSP frame-ancestors');
      assert(
        !/'unsafe-eval'/.test(csp.replace("'wasm-unsafe-eval'", '')),
        `CSP allows unsafe-eval: ${csp}`,
      );
      assert(headers['x-content-type-options'] === 'nosniff', 'missing X-Content-Type-Options');
      for (const href of ['/translate', '/caption', '/lab']) {
        assert(await page.$(`main a[href="${href}"]`), `home page does not link ${href}`);
      }
      await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
    },
  },
  {
    id: 'home-narrow',
    name: 'home page works at 360 px wide',
    viewport: { width: 360, height: 740 },
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/`);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(artifacts, 'home-360.png'), fullPage: true });
    },
  },
];

export const offlineSuites = [
  {
    id: 'offline',
    name: 'service worker: the translate page loads again offline',
    // Chromium fetches favicons outside the service worker, so the icon alone may fail offline.
    allowConsoleErrors: [/ERR_INTERNET_DISCONNECTED/],
    async run({ page, base, context }) {
      const failed = [];
      page.on('requestfailed', (r) => {
        if (
          r.failure()?.errorText === 'net::ERR_INTERNET_DISCONNECTED' &&
          !r.url().includes('/icon.svg')
        )
          failed.push(r.url());
      });
      await page.goto(`${base}/translate`);
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload(); // now controlled: the page's own assets pass through the worker's cache
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      await backendReported(page);
      await context.setOffline(true);
      try {
        await page.reload();
        assert((await page.textContent('h1')) === 'Translate', 'offline reload lost the page');
        await backendReported(page); // worker script and wasm came from the cache
        assert(failed.length === 0, `offline, these requests failed: ${failed.join(', ')}`);
      } finally {
        await context.setOffline(false);
      }
    },
  },
];
