// The end-to-end scenarios, one object each: { id, name, viewport?, requires?, run({ page, base, artifacts, context }) }.
// `requires` names trained models; such suites are skipped until public/models/NAME/model.json exists.
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { labSuites } from './lab-suites.mjs';

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** CRC-32 for PNG chunks. */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real RGB PNG: w×h, filled by fn(x, y) → [r, g, b]; `claim` overrides the header size (for the huge-image test). */
function makePng(w, h, fn, claim) {
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set(fn(x, y), 1 + x * 3);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim?.width ?? w, 0);
  ihdr.writeUInt32BE(claim?.height ?? h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const gradientPng = () => makePng(300, 200, (x, y) => [x % 256, y % 256, 128]);

async function noHorizontalScroll(page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert(overflow <= 1, `page scrolls horizontally by ${overflow}px`);
}

async function backendReported(page) {
  await page.waitForFunction(
    () =>
      /Backend: (wasm|webgl|webgpu|cpu)/.test(
        document.querySelector('[data-testid=backend]')?.textContent ?? '',
      ),
    null,
    { timeout: 20_000 },
  );
  return page.textContent('[data-testid=backend]');
}

/** Every form control on the page has an accessible name. */
async function controlsLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = /** @type {HTMLInputElement} */ (el);
        if (e.type === 'hidden') return false;
        return !(
          e.labels?.length ||
          e.getAttribute('aria-label') ||
          e.getAttribute('aria-labelledby') ||
          e.textContent?.trim() ||
          e.querySelector('img[alt]')
        );
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  assert(unlabelled.length === 0, `unlabelled controls: ${unlabelled.join(' | ')}`);
}

/** Waits until the output shows the translation of `source` (the page tags its output with its source). */
async function waitTranslation(page, source) {
  await page.waitForFunction(
    (src) => {
      const el = document.querySelector('[data-testid=translation]');
      return (
        el?.getAttribute('data-source') === (src ?? el?.getAttribute('data-source')) &&
        el?.hasAttribute('data-source')
      );
    },
    source,
    { timeout: 60_000 },
  );
  return (await page.textContent('[data-testid=translation]')).trim();
}

export const suites = [
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
  {
    id: 'translate-page',
    name: 'translate page renders labelled controls and its worker reports a backend',
    async run({ page, base, artifacts }) {
      const workers = [];
      page.on('worker', (w) => workers.push(w.url().replace(base, '')));
      const res = await page.goto(`${base}/translate`);
      assert(res?.ok(), `status ${res?.status()}`);
      assert(
        res.headers()['content-security-policy']?.includes("'wasm-unsafe-eval'"),
        'CSP must allow wasm',
      );
      const backend = await backendReported(page);
      // Headless Chromium renders WebGL on SwiftShader, where wasm is the faster choice.
      assert(backend.includes('wasm'), `expected wasm in headless Chromium, got ${backend}`);
      // One worker, started by the page's boot script with its first model named (lib/boot.ts),
      // and adopted by the app rather than started a second time.
      assert(
        workers.length === 1 && workers[0] === '/workers/translate.js#preload=translate-en-es',
        `workers started: ${JSON.stringify(workers)}`,
      );
      await controlsLabelled(page);
      // Model loaded or a clear failure with a retry button: never a silent spinner.
      await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
        timeout: 30_000,
      });
      const langs = await page.$$eval('[data-testid=language] option', (os) =>
        os.map((o) => o.textContent),
      );
      assert(langs.join() === 'Spanish,French,German', `languages: ${langs}`);
      await page.click('.example >> nth=1');
      assert(
        (await page.inputValue('[data-testid=source]')).includes('%s'),
        'example did not fill the text',
      );
      assert(
        (await page.textContent('[data-testid=source-placeholders]')).includes('%s'),
        'placeholder chip missing',
      );
      await page.check('[data-testid=beam]');
      assert(
        !(await page.isDisabled('[data-testid=beam-width]')),
        'beam width slider stays disabled in beam mode',
      );
      // Keyboard: the text box is reachable by Tab.
      await page.focus('[data-testid=language]');
      let reached = false;
      for (let i = 0; i < 12 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.id === 'source');
      }
      assert(reached, 'the text box is not reachable with Tab');
      await page.screenshot({ path: join(artifacts, 'translate.png'), fullPage: true });
    },
  },
  {
    id: 'translate-bad-input',
    name: 'translate: 10,000 characters and empty text give clear messages, page stays usable',
    async run({ page, base }) {
      await page.goto(`${base}/translate`);
      // Typing into the server-rendered box before hydration raced with React taking it over.
      await backendReported(page);
      await page.fill('[data-testid=source]', 'word '.repeat(2000));
      const err = await page.waitForSelector('[data-testid=translate-error]', { timeout: 5000 });
      const msg = await err.textContent();
      assert(
        /10,000 characters/.test(msg) && /2,000/.test(msg),
        `unclear long-text message: ${msg}`,
      );
      await page.fill('[data-testid=source]', '');
      await page.waitForSelector('text=Type an English sentence', { timeout: 5000 });
      await page.fill('[data-testid=source]', 'Show hidden files');
      assert(
        (await page.inputValue('[data-testid=source]')) === 'Show hidden files',
        'text box unusable',
      );
    },
  },
  {
    id: 'translate-narrow',
    name: 'translate page works at 360 px wide',
    viewport: { width: 360, height: 740 },
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/translate`);
      await backendReported(page);
      await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
        timeout: 30_000,
      });
      await page.waitForTimeout(300);
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(artifacts, 'translate-360.png'), fullPage: true });
    },
  },
  {
    id: 'caption-page',
    name: 'caption page: worker backend, a Shapes scene with its true caption, labelled controls',
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/caption`);
      await backendReported(page);
      await page.waitForSelector('[data-testid=truth-text]');
      const first = await page.textContent('[data-testid=truth-text]');
      assert(
        /^an? (small|large) \w+ (circle|square|triangle|star)/.test(first),
        `odd truth caption: ${first}`,
      );
      // Shapes differ from the pale background by far more than its jitter (gray shapes included).
      const painted = await page.$eval('[data-testid=preview]', (c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let shape = 0;
        for (let i = 0; i < d.length; i += 4)
          if (Math.abs(d[i] - d[0]) + Math.abs(d[i + 1] - d[1]) + Math.abs(d[i + 2] - d[2]) > 90)
            shape++;
        return shape;
      });
      assert(
        painted > 100,
        `the scene preview shows no shape (${painted} px differ from the background)`,
      );
      const scenes = new Set([first]);
      for (let i = 0; i < 3; i++) {
        await page.click('[data-testid=new-scene]');
        await page.waitForTimeout(50);
        scenes.add(await page.textContent('[data-testid=truth-text]'));
      }
      assert(scenes.size > 1, 'New random scene keeps showing the same scene');
      await controlsLabelled(page);
      // Input tabs follow the tabs pattern: arrow keys move the selection.
      await page.focus('[data-testid=tab-shapes]');
      await page.keyboard.press('ArrowRight');
      assert(
        (await page.getAttribute('[data-testid=tab-draw]', 'aria-selected')) === 'true',
        'ArrowRight did not select Draw',
      );
      assert(
        await page.evaluate(() => document.activeElement?.id === 'tab-draw'),
        'focus did not follow the tab',
      );
      await page.keyboard.press('ArrowLeft');
      await page.waitForSelector('[data-testid=new-scene]');
      await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
        timeout: 30_000,
      });
      await page.screenshot({ path: join(artifacts, 'caption.png'), fullPage: true });
    },
  },
  {
    id: 'caption-files',
    name: 'caption: a PNG upload is shown; a text file, a broken PNG and a huge PNG give clear errors',
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/caption`);
      await page.click('[data-testid=tab-file]');
      const input = '[data-testid=file]';
      await page.setInputFiles(input, {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('not an image'),
      });
      let msg = await (await page.waitForSelector('[data-testid=caption-error]')).textContent();
      assert(msg.includes('“notes.txt” is not an image'), `text file message: ${msg}`);
      await page.setInputFiles(input, {
        name: 'broken.png',
        mimeType: 'image/png',
        buffer: Buffer.from('\x89PNG garbage that is not a png'),
      });
      await page.waitForFunction(() =>
        document.querySelector('[data-testid=caption-error]')?.textContent?.includes('broken.png'),
      );
      msg = await page.textContent('[data-testid=caption-error]');
      assert(/could not be (read|decoded)/.test(msg), `broken file message: ${msg}`);
      const huge = makePng(4, 4, () => [0, 0, 0], { width: 30000, height: 30000 });
      await page.setInputFiles(input, { name: 'huge.png', mimeType: 'image/png', buffer: huge });
      await page.waitForFunction(() =>
        document.querySelector('[data-testid=caption-error]')?.textContent?.includes('huge.png'),
      );
      msg = await page.textContent('[data-testid=caption-error]');
      assert(/30000×30000 \(900 megapixels\)/.test(msg), `huge image message: ${msg}`);
      // A real 12-megapixel PNG is decoded straight to ≤ 512 px and reaches the preview.
      const big = makePng(4000, 3000, (x) => (x < 2000 ? [20, 20, 200] : [240, 240, 20]));
      await page.setInputFiles(input, { name: 'big.png', mimeType: 'image/png', buffer: big });
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid=preview]')
            ?.getAttribute('aria-label')
            ?.startsWith('big.png (4000×3000'),
        null,
        { timeout: 20_000 },
      );
      await page.setInputFiles(input, {
        name: 'gradient.png',
        mimeType: 'image/png',
        buffer: gradientPng(),
      });
      await page.waitForFunction(
        () =>
          document
            .querySelector('[data-testid=preview]')
            ?.getAttribute('aria-label')
            ?.startsWith('gradient.png'),
        null,
        { timeout: 10_000 },
      );
      assert(!(await page.$('[data-testid=caption-error]')), 'a good PNG left an error on screen');
      const label = await page.getAttribute('[data-testid=preview]', 'aria-label');
      assert(label?.includes('gradient.png (300×200'), `preview label: ${label}`);
      const red = await page.$eval(
        '[data-testid=preview]',
        (c) => c.getContext('2d').getImageData(250, 10, 1, 1).data[0],
      );
      assert(
        red > 150,
        `the uploaded gradient is not in the preview (red ${red} at the right edge)`,
      );
      const notice = await page.textContent('[data-testid=scope-notice]');
      assert(/has only ever seen/.test(notice), 'no scope notice for a photo');
      await page.screenshot({ path: join(artifacts, 'caption-file.png'), fullPage: true });
    },
  },
  {
    id: 'caption-draw-emoji',
    name: 'caption: drawing gives the generator caption; the emoji gallery shows 3 attributed styles',
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/caption`);
      await page.click('[data-testid=tab-draw]');
      const box = await (await page.$('[data-testid=draw-canvas]')).boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=truth-text]')?.textContent === 'a large red circle',
      );
      await page.click('[data-testid=tab-emoji]');
      await page.waitForSelector('.emoji img');
      const count = await page.$$eval('.emoji img', (imgs) => imgs.length);
      assert(count >= 30, `only ${count} emoji in the gallery`);
      const licence = await page.textContent('[data-testid=emoji-licence]');
      for (const l of ['Apache-2.0', 'CC-BY-4.0', 'CC-BY-SA-4.0'])
        assert(licence.includes(l), `licence ${l} not attributed`);
      assert(
        (await page.inputValue('[data-testid=caption-model]')) === 'caption-emoji',
        'emoji tab should pick the emoji model',
      );
      await page.click('text=OpenMoji');
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.emoji img')].every(
          (i) => i.complete && i.naturalWidth > 0 && i.src.includes('/openmoji/'),
        ),
      );
      await page.click('.emoji >> nth=0');
      const truth = await page.textContent('[data-testid=truth-text]');
      const alt = await page.getAttribute('.emoji >> nth=0 >> img', 'alt');
      assert(truth === alt, `emoji truth ${truth} != ${alt}`);
      // The emoji model ships its known names: closed-set decoding is offered, on by default,
      // and the caption is one of those names.
      await page.waitForSelector('[data-testid=cap-closed]', { timeout: 60_000 });
      assert(await page.isChecked('[data-testid=cap-closed]'), 'closed-set decoding should be on');
      await page.waitForFunction(
        () =>
          /known captions only/.test(
            document.querySelector('[data-testid=caption-timing]')?.textContent ?? '',
          ),
        null,
        { timeout: 60_000 },
      );
      const text = (await page.textContent('[data-testid=caption]')).trim();
      const known = await page.evaluate(() =>
        fetch('/models/caption-emoji/captions.json').then((r) => r.json()),
      );
      assert(known.includes(text), `closed-set caption "${text}" is not a known emoji name`);
      await page.screenshot({ path: join(artifacts, 'caption-emoji.png'), fullPage: true });
    },
  },
  {
    id: 'caption-webcam',
    name: 'caption: a webcam frame (Chromium fake camera) reaches the preview',
    async run({ page, base, context }) {
      await context.grantPermissions(['camera'], { origin: base });
      await page.goto(`${base}/caption`);
      await page.click('[data-testid=tab-camera]');
      await page.click('text=Start camera');
      await page.waitForSelector('text=Capture frame', { timeout: 10_000 });
      await page.waitForFunction(
        () => (document.querySelector('video.webcam')?.videoWidth ?? 0) > 0,
        null,
        { timeout: 10_000 },
      );
      await page.click('text=Capture frame');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=preview]')?.getAttribute('aria-label') ===
          'webcam frame',
      );
      assert(await page.$('[data-testid=scope-notice]'), 'no scope notice for a webcam frame');
      await page.click('text=Stop camera');
      await page.waitForSelector('text=Start camera');
    },
  },
  {
    id: 'caption-narrow',
    name: 'caption page works at 360 px wide',
    viewport: { width: 360, height: 740 },
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/caption`);
      await page.waitForSelector('[data-testid=truth-text]');
      await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
        timeout: 30_000,
      });
      await noHorizontalScroll(page);
      await page.click('[data-testid=tab-emoji]');
      await page.waitForSelector('.emoji img');
      await noHorizontalScroll(page);
      await page.screenshot({ path: join(artifacts, 'caption-360.png'), fullPage: true });
    },
  },
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
  // ---- suites that need trained models ----
  ...[
    ['es', 'Spanish'],
    ['fr', 'French'],
    ['de', 'German'],
  ].map(([code, name]) => ({
    id: `translate-${code}`,
    name: `translate into ${name}: output, placeholders kept, heatmap drawn and interactive`,
    requires: [`translate-en-${code}`],
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/translate`);
      await page.selectOption('[data-testid=language]', code);
      await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
      await page.fill('[data-testid=source]', 'Could not save %s: permission denied');
      const out = await waitTranslation(page, 'Could not save %s: permission denied');
      assert(out.includes('%s'), `placeholder %s lost: ${out}`);
      assert(out !== 'Could not save %s: permission denied', `output equals the input: ${out}`);
      const rows = await page.$$('[data-testid=heatmap] tbody tr');
      const tokens = await page.$$('[data-testid=heatmap] thead th');
      assert(rows.length > 0 && tokens.length > 0, `heatmap ${rows.length}×${tokens.length}`);
      await page.hover('.tgt-token >> nth=0');
      const lit = await page.$$eval(
        '[data-testid=source-strip] .src-token[style]',
        (s) => s.length,
      );
      assert(
        lit === tokens.length,
        `hovering a target word lit ${lit} of ${tokens.length} source tokens`,
      );
      await page.screenshot({ path: join(artifacts, `translate-${code}.png`), fullPage: true });
    },
  })),
  {
    id: 'translate-beam',
    name: 'translate: beam search lists n-best hypotheses with scores',
    requires: ['translate-en-es'],
    async run({ page, base }) {
      await page.goto(`${base}/translate`);
      await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
      await waitTranslation(page);
      await page.check('[data-testid=beam]');
      await page.waitForSelector('[data-testid=nbest] li', { timeout: 30_000 });
      const n = await page.$$eval('[data-testid=nbest] li', (l) => l.length);
      assert(n >= 2 && n <= 4, `beam 4 gave ${n} hypotheses`);
    },
  },
  {
    id: 'translate-worker-memory',
    name: 'translate: the worker holds the same number of tensors after 20 more translations',
    requires: ['translate-en-es'],
    async run({ page, base }) {
      await page.goto(`${base}/translate`);
      await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
      const tensorsAfter = async (text) => {
        await page.fill('[data-testid=source]', text);
        await waitTranslation(page, text);
        return Number(await page.getAttribute('[data-testid=timing]', 'data-tensors'));
      };
      await tensorsAfter('Open the file');
      const warm = await tensorsAfter('Save the document as %s');
      assert(Number.isFinite(warm) && warm > 0, `worker reported no tensor count (${warm})`);
      let last = warm;
      for (let i = 0; i < 20; i++) last = await tensorsAfter(`Delete ${i + 2} selected items`);
      assert(last === warm, `worker tensors grew from ${warm} to ${last} over 20 translations`);
    },
  },
  {
    id: 'caption-shapes',
    name: 'caption: one-object Shapes scenes get their true caption (multi-object accuracy printed)',
    requires: ['caption-shapes'],
    async run({ page, base, artifacts }) {
      await page.goto(`${base}/caption`);
      await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
      // The shipped model is under-trained on 2- and 3-object scenes (see models/caption-shapes/card.md):
      // the assertion uses one-object scenes, and the mixed-scene hit rate is printed, not asserted.
      let mixed = 0;
      for (let i = 0; i < 5; i++) {
        await page.click('[data-testid=new-scene]');
        await page.waitForSelector('[data-testid=truth] .ok, [data-testid=truth] .miss', {
          timeout: 30_000,
        });
        if (await page.$('[data-testid=truth] .ok')) mixed++;
      }
      console.log(`    mixed 1–3 object scenes: ${mixed}/5 exact`);
      await page.selectOption('[data-testid=scene-objects]', '1');
      let right = 0;
      const tries = 5;
      for (let i = 0; i < tries; i++) {
        if (i > 0) await page.click('[data-testid=new-scene]');
        await page.waitForSelector('[data-testid=truth] .ok, [data-testid=truth] .miss', {
          timeout: 30_000,
        });
        if (await page.$('[data-testid=truth] .ok')) right++;
        if (i === 0)
          await page.screenshot({ path: join(artifacts, 'caption-shapes.png'), fullPage: true });
      }
      assert(right >= 4, `only ${right} of ${tries} scenes captioned exactly`);
      await page.hover('.word >> nth=0');
      assert(
        await page.$('.word[aria-pressed=true]'),
        'hovering a caption word does not select it',
      );
      // Beam search: the width slider comes alive and the result says which decoding ran.
      assert(await page.isDisabled('[data-testid=cap-beam-width]'), 'width enabled under greedy');
      await page.check('[data-testid=cap-beam]');
      assert(!(await page.isDisabled('[data-testid=cap-beam-width]')), 'width disabled under beam');
      await page.waitForFunction(
        () =>
          /beam 3/.test(document.querySelector('[data-testid=caption-timing]')?.textContent ?? ''),
        null,
        { timeout: 30_000 },
      );
    },
  },
  {
    id: 'caption-upload-model',
    name: 'caption: an uploaded PNG gets a caption and an honest scope notice',
    requires: ['caption-shapes'],
    async run({ page, base }) {
      await page.goto(`${base}/caption`);
      await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
      await page.click('[data-testid=tab-file]');
      await page.setInputFiles('[data-testid=file]', {
        name: 'gradient.png',
        mimeType: 'image/png',
        buffer: gradientPng(),
      });
      // The page opens on a captioned Shapes scene: wait for the upload's own preview and caption.
      await page.waitForFunction(() =>
        document
          .querySelector('[data-testid=preview]')
          ?.getAttribute('aria-label')
          ?.startsWith('gradient.png'),
      );
      await page.waitForSelector('[data-testid=caption-timing]', { timeout: 30_000 });
      assert((await page.textContent('[data-testid=caption]')).trim().length > 0, 'empty caption');
      assert(await page.$('[data-testid=scope-notice]'), 'no scope notice');
    },
  },
  ...labSuites,
];
