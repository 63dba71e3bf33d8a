// Performance budgets, measured in headless Chromium against the production build and printed (not asserted).
// Run `pnpm run build` first; then `pnpm --filter @seqlab/web perf`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startServer, web } from '../e2e/launch.mjs';

if (!existsSync(join(web, '.next', 'BUILD_ID'))) {
  console.error('No production build: run `pnpm run build` in apps/web first.');
  process.exit(1);
}
const hasModel = (m) => existsSync(join(web, 'public', 'models', m, 'model.json'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : Number.NaN;
};
/** "p25–p75" of a sample, for the spread beside a median. */
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q) => s[Math.round(q * (s.length - 1))];
  return s.length ? `${at(0.25).toFixed(1)}–${at(0.75).toFixed(1)}` : 'none';
};
/**
 * Waits until the text of `[data-testid=ID]` differs from `before`, with a MutationObserver in the
 * page. (Playwright's waitForFunction polls on requestAnimationFrame by default, which keeps the
 * page producing frames while the worker computes, as no reader's page does. Its effect on the
 * timed inference was within the noise here.)
 */
const textChange = (page, id, before) =>
  page.evaluate(
    ([sel, b]) =>
      new Promise((resolve, reject) => {
        const done = () => document.querySelector(sel)?.textContent !== b;
        if (done()) return resolve();
        const obs = new MutationObserver(() => {
          if (!done()) return;
          obs.disconnect();
          clearTimeout(timer);
          resolve();
        });
        obs.observe(document.body, { subtree: true, childList: true, characterData: true });
        const timer = setTimeout(() => {
          obs.disconnect();
          reject(new Error(`${sel} did not change within 30 s`));
        }, 30_000);
      }),
    [`[data-testid=${id}]`, before],
  );
const rows = [];
const report = (what, value, unit, budget, note = '') =>
  rows.push({
    what,
    value,
    unit,
    budget,
    verdict: Number.isFinite(value) ? (value <= budget ? 'within' : 'OVER') : 'n/a',
    note,
  });

/**
 * Translation: five first visits (a fresh context each: on a 2-core machine one visit varies by
 * ±20%), navigation start → first output shown; then warm greedy 10-word sentences on the last
 * page (time inside the worker). `query` is appended to the page URL.
 */
async function translation(query) {
  const firsts = [];
  let page;
  let parts;
  for (let visit = 0; visit < 5; visit++) {
    if (page) await page.context().close();
    page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await page.goto(`${base}/translate?backend=wasm${query}`);
    await page.waitForFunction(() => document.querySelector('[data-testid=timing]'), null, {
      timeout: 60_000,
    });
    firsts.push(await page.evaluate(() => performance.now()));
    // Where the time went: page start-up, model load (from the worker's load request), first run.
    parts = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const num = (id) =>
        Number.parseFloat(
          /([\d.]+) ms/.exec(
            document.querySelector(`[data-testid=${id}]`)?.textContent ?? '',
          )?.[1] ?? 'NaN',
        );
      return {
        dcl: nav ? nav.domContentLoadedEventEnd : Number.NaN,
        load: num('model-ready'),
        run: num('timing'),
      };
    });
  }
  const sentences = [
    'Could not open the file because the disk is full',
    'Do you want to save the changes to this document',
    'The server did not answer within the time limit',
    'Select the files you want to copy to the folder',
    'Your password must contain at least eight characters now',
    'Click here to download the latest version of it',
  ];
  const ms = [];
  for (let round = 0; round < 3; round++) {
    for (const s of sentences) {
      const before = await page.textContent('[data-testid=timing]');
      await page.fill('[data-testid=source]', round % 2 ? `${s}.` : s);
      await textChange(page, 'timing', before);
      ms.push(Number.parseFloat(await page.textContent('[data-testid=timing]')));
    }
  }
  await page.context().close();
  return { firsts, parts, warm: ms.slice(sentences.length) };
}

/**
 * Shapes captions once warm: the worker warms its model while idle after loading (50 captions
 * of a synthetic image, see workers/host.ts), so wait the few seconds a reader spends on the
 * first caption; then 10 warm-up captions (the JIT tiers up wasm and JS over the first few) and
 * 30 timed, scenes of 1, 2 and 3 objects in turn (choosing the count draws a new scene): caption
 * length, hence decoding time, grows with the count, so a fixed mix keeps runs comparable.
 */
async function captioning(query) {
  const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
  await page.goto(`${base}/caption?backend=wasm${query}`);
  await page.waitForSelector('[data-testid=caption-timing]', { timeout: 60_000 });
  await page.waitForTimeout(3000);
  const ms = [];
  for (let i = 0; i < 40; i++) {
    const before = await page.textContent('[data-testid=caption-timing]');
    await page.selectOption('[data-testid=scene-objects]', String(1 + (i % 3)));
    await textChange(page, 'caption-timing', before);
    ms.push(Number.parseFloat(await page.textContent('[data-testid=caption-timing]')));
  }
  await page.context().close();
  return { timed: ms.slice(10) };
}

const { base, stop } = await startServer();
const browser = await launchBrowser();
let referenceMs = Number.NaN;
try {
  // This 2-core machine's speed drifts by up to 2× over a day: each run also times a fixed
  // CPU-bound loop in a page (median of 5), so runs can be compared with each other.
  {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    await page.goto(`${base}/`);
    referenceMs = await page.evaluate(() => {
      const t = [];
      for (let r = 0; r < 5; r++) {
        const t0 = performance.now();
        let x = 1;
        for (let i = 0; i < 20_000_000; i++) x = (Math.imul(x, 1103515245) + 12345) | 0;
        t.push(performance.now() - t0 + (x === 0.5 ? 1 : 0)); // x is used, so the loop stays
      }
      return t.sort((a, b) => a - b)[2];
    });
    await page.context().close();
  }
  for (const path of ['/translate', '/caption']) {
    // A first visit: fresh profile, no service worker answering from its cache.
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const scripts = new Map();
    let sent = 0;
    cdp.on('Network.responseReceived', (e) => {
      if (e.type === 'Script')
        scripts.set(e.requestId, {
          url: e.response.url,
          enc: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'],
        });
    });
    cdp.on('Network.loadingFinished', (e) => {
      if (scripts.has(e.requestId)) sent += e.encodedDataLength;
    });
    await page.goto(`${base}${path}?backend=wasm`, { waitUntil: 'networkidle' });
    // The budget is in gzip bytes. `next start` here sends files uncompressed (compress: false in
    // next.config: on loopback, compressing costs CPU the first visit needs); a deployment's
    // proxy or CDN compresses, so each script is gzipped here as that proxy would (level 6).
    let bytes = 0;
    for (const id of scripts.keys()) {
      const { body, base64Encoded } = await cdp.send('Network.getResponseBody', { requestId: id });
      bytes += gzipSync(Buffer.from(body, base64Encoded ? 'base64' : 'utf8'), { level: 6 }).length;
    }
    const encodings = [...new Set([...scripts.values()].map((s) => s.enc ?? 'identity'))].join('/');
    report(
      `JS before any model, ${path}`,
      bytes / 1024,
      'kB',
      300,
      `${scripts.size} scripts, gzip level 6; ${Math.round(sent / 1024)} kB sent (${encodings})`,
    );
  }

  // 2–4 run twice: with the app's decoding (host SIMD kernels, int8 output layer) and with
  // `?decode=tensor`, the baseline (tensor ops at every step, float32 output layer), in turn.
  const modes = [
    { query: '', label: '' },
    { query: '&decode=tensor', label: ' [tensor-op baseline]' },
  ];
  const results = new Map();
  for (const mode of modes) {
    if (hasModel('translate-en-es')) results.set(`t${mode.label}`, await translation(mode.query));
    if (hasModel('caption-shapes')) results.set(`c${mode.label}`, await captioning(mode.query));
  }
  const ratio = (kind, pick) => {
    const a = results.get(kind);
    const b = results.get(`${kind} [tensor-op baseline]`);
    return a && b ? `; baseline/app ${(pick(b) / pick(a)).toFixed(2)}` : '';
  };
  for (const mode of modes) {
    const t = results.get(`t${mode.label}`);
    const c = results.get(`c${mode.label}`);
    const isApp = mode.label === '';
    report(
      `first translation after navigation (median of 5)${mode.label}`,
      t ? median(t.firsts) : Number.NaN,
      'ms',
      1500,
      t
        ? `navigation start → output shown; range ${Math.round(Math.min(...t.firsts))}–${Math.round(Math.max(...t.firsts))} ms; last visit: DOMContentLoaded ${Math.round(t.parts.dcl)} ms, model ready ${Math.round(t.parts.load)} ms after its load request, first translation ${Math.round(t.parts.run)} ms${isApp ? ratio('t', (x) => median(x.firsts)) : ''}`
        : 'model translate-en-es not built',
    );
    report(
      `greedy translation, 10 words, warm (median)${mode.label}`,
      t ? median(t.warm) : Number.NaN,
      'ms',
      20,
      t
        ? `wasm, ${t.warm.length} runs; quartiles ${quartiles(t.warm)}${isApp ? ratio('t', (x) => median(x.warm)) : ''}`
        : 'model translate-en-es not built',
    );
    const by = (k) =>
      c ? median(c.timed.filter((_, i) => (10 + i) % 3 === k - 1)).toFixed(1) : '';
    report(
      `Shapes caption, greedy, warm (median)${mode.label}`,
      c ? median(c.timed) : Number.NaN,
      'ms',
      15,
      c
        ? `wasm, ${c.timed.length} runs after 3 s idle and 10 warm-up, time inside the worker; quartiles ${quartiles(c.timed)}; by objects 1/2/3: ${by(1)}/${by(2)}/${by(3)} ms${isApp ? ratio('c', (x) => median(x.timed)) : ''}`
        : 'model caption-shapes not built',
    );
  }
} finally {
  await browser.close();
  stop();
}

console.log('\nseqlab web performance (headless Chromium, production build, loopback)\n');
console.log(
  `machine reference: a fixed 20M-step integer loop in the page took ${referenceMs.toFixed(1)} ms (lower = faster; compare runs by it)\n`,
);
for (const r of rows) {
  const v = Number.isFinite(r.value) ? r.value.toFixed(1).padStart(8) : '     n/a';
  console.log(
    `${r.what.padEnd(46)} ${v} ${r.unit.padEnd(3)} budget ≤ ${String(r.budget).padEnd(5)} ${r.verdict.padEnd(6)} ${r.note}`,
  );
}
