// Where the CPU goes while the /caption page captions new Shapes scenes: the worker's caption times
// and each browser thread's busy time per click, from a Chrome trace (headless, wasm, after the
// worker's idle warm-ups). On a 2-core machine the caption competes with the page's own paint.
// Run `pnpm run build` first; then `node scripts/caption-cpu.mjs`.
import { launchBrowser, startServer } from '../e2e/launch.mjs';

const { base, stop } = await startServer();
const browser = await launchBrowser();
try {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  await page.goto(`${base}/caption?backend=wasm`);
  await page.waitForSelector('[data-testid=caption-timing]', { timeout: 60_000 });
  await page.waitForTimeout(2500);
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.start', {
    categories: 'toplevel,devtools.timeline',
    transferMode: 'ReportEvents',
  });
  const ms = [];
  for (let i = 0; i < 20; i++) {
    const before = await page.textContent('[data-testid=caption-timing]');
    await page.click('[data-testid=new-scene]');
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid=caption-timing]')?.textContent !== b,
      before,
      { timeout: 30_000, polling: 50 },
    );
    ms.push(Number.parseFloat(await page.textContent('[data-testid=caption-timing]')));
    await page.waitForTimeout(200);
  }
  await cdp.send('Tracing.end');
  await done;
  const names = new Map();
  for (const e of events)
    if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const busy = new Map();
  for (const e of events)
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask') {
      const n = names.get(`${e.pid}:${e.tid}`) ?? '?';
      busy.set(n, (busy.get(n) ?? 0) + e.dur);
    }
  const s = [...ms].sort((a, b) => a - b);
  console.log('caption ms median', s[10], 'all', ms.join(' '));
  console.log(
    'busy per click (ms):',
    [...busy]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([n, d]) => `${n}:${(d / 20000).toFixed(1)}`)
      .join(' '),
  );
} finally {
  await browser.close();
  stop();
}
