// The site as a whole: the home page, and the app offline through its service worker.
import { assert, backendReported, noHorizontalScroll, text } from './support/checks';
import { test } from './support/fixtures';

test('home page says what seqlab is, links the demos and serves security headers', async ({
  page,
  saveScreenshot,
}) => {
  const res = await page.goto('/');
  assert(res?.ok(), `home page status ${res?.status()}`);
  const h1 = await text(page, 'h1');
  assert(h1.includes('seqlab'), `expected h1 to name seqlab, got ${h1}`);
  const headers = res!.headers();
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
  await saveScreenshot('home', { fullPage: true });
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('home page works at 360 px wide', async ({ page, saveScreenshot }) => {
    await page.goto('/');
    await noHorizontalScroll(page);
    await saveScreenshot('home-360', { fullPage: true });
  });
});

test.describe('offline', () => {
  // Chromium fetches favicons outside the service worker, so the icon alone may fail offline.
  test.use({ allowConsoleErrors: [/ERR_INTERNET_DISCONNECTED/] });

  test('service worker: the translate page loads again offline', async ({ page, context }) => {
    const failed: string[] = [];
    page.on('requestfailed', (r) => {
      if (
        r.failure()?.errorText === 'net::ERR_INTERNET_DISCONNECTED' &&
        !r.url().includes('/icon.svg')
      )
        failed.push(r.url());
    });
    await page.goto('/translate');
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
  });
});
