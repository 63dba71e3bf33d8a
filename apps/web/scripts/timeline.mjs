// Request timeline of a first visit to /translate (page chunks, worker chunks, wasm, model files),
// in ms from the start of navigation: where the first-translation time goes. Build first, then
// `node scripts/timeline.mjs`.
import { launchBrowser, startServer } from '../e2e/launch.mjs';

const { base, stop } = await startServer();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  const t0 = Date.now();
  const log = [];
  page.on('request', (r) => log.push([Date.now() - t0, 'req ', r.url().replace(base, '')]));
  page.on('requestfinished', (r) => log.push([Date.now() - t0, 'done', r.url().replace(base, '')]));
  page.on('worker', (w) => log.push([Date.now() - t0, 'WORKER', w.url().replace(base, '')]));
  page.on('console', (m) => log.push([Date.now() - t0, 'console', m.text()]));
  await page.goto(`${base}/translate?backend=wasm`);
  await page.waitForFunction(() => document.querySelector('[data-testid=timing]'), null, {
    timeout: 60_000,
  });
  log.push([Date.now() - t0, 'SHOWN', '']);
  for (const l of log) console.log(String(l[0]).padStart(6), l[1], l[2].slice(0, 100));
} finally {
  await browser.close();
  await stop();
}
