// The end-to-end scenarios, one object each: { id, name, run({ page, base, artifacts }) }.
import { join } from 'node:path';

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

export const suites = [
  {
    id: 'home',
    name: 'home page says what seqlab is and serves security headers',
    async run({ page, base, artifacts }) {
      const res = await page.goto(base + '/');
      assert(res && res.ok(), `home page status ${res?.status()}`);
      const h1 = await page.textContent('h1');
      assert(h1?.includes('seqlab'), `expected h1 to name seqlab, got ${h1}`);
      const headers = res.headers();
      assert(headers['content-security-policy']?.includes("frame-ancestors 'none'"), 'missing CSP frame-ancestors');
      assert(headers['x-content-type-options'] === 'nosniff', 'missing X-Content-Type-Options');
      await page.screenshot({ path: join(artifacts, 'home.png'), fullPage: true });
    },
  },
  {
    id: 'home-narrow',
    name: 'home page works at 360 px wide',
    viewport: { width: 360, height: 740 },
    async run({ page, base, artifacts }) {
      await page.goto(base + '/');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
      assert(!overflow, 'page scrolls horizontally at 360 px');
      await page.screenshot({ path: join(artifacts, 'home-360.png'), fullPage: true });
    },
  },
];
