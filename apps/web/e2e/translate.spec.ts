// /translate: the page and its errors, then translations by the trained models.
import {
  assert,
  backendReported,
  controlsLabelled,
  noHorizontalScroll,
  requireModels,
  text,
  waitTranslation,
} from './support/checks';
import { test } from './support/fixtures';

test('translate page renders labelled controls and its worker reports a backend', async ({
  page,
  baseURL,
  saveScreenshot,
}) => {
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url().replace(baseURL ?? '', '')));
  const res = await page.goto('/translate');
  assert(res?.ok(), `status ${res?.status()}`);
  assert(
    res!.headers()['content-security-policy']?.includes("'wasm-unsafe-eval'"),
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
    (await text(page, '[data-testid=source-placeholders]')).includes('%s'),
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
  await saveScreenshot('translate', { fullPage: true });
});

test('translate: 10,000 characters and empty text give clear messages, page stays usable', async ({
  page,
}) => {
  await page.goto('/translate');
  // Typing into the server-rendered box before hydration raced with React taking it over.
  await backendReported(page);
  await page.fill('[data-testid=source]', 'word '.repeat(2000));
  const err = await page.waitForSelector('[data-testid=translate-error]', { timeout: 5000 });
  const msg = (await err.textContent()) ?? '';
  assert(/10,000 characters/.test(msg) && /2,000/.test(msg), `unclear long-text message: ${msg}`);
  await page.fill('[data-testid=source]', '');
  await page.waitForSelector('text=Type an English sentence', { timeout: 5000 });
  await page.fill('[data-testid=source]', 'Show hidden files');
  assert(
    (await page.inputValue('[data-testid=source]')) === 'Show hidden files',
    'text box unusable',
  );
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('translate page works at 360 px wide', async ({ page, saveScreenshot }) => {
    await page.goto('/translate');
    await backendReported(page);
    await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
      timeout: 30_000,
    });
    await page.waitForTimeout(300);
    await noHorizontalScroll(page);
    await saveScreenshot('translate-360', { fullPage: true });
  });
});

// ---- with the trained models ----

for (const [code, name] of [
  ['es', 'Spanish'],
  ['fr', 'French'],
  ['de', 'German'],
] as const) {
  test(`translate into ${name}: output, placeholders kept, heatmap drawn and interactive`, async ({
    page,
    saveScreenshot,
  }) => {
    requireModels(`translate-en-${code}`);
    await page.goto('/translate');
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
    const lit = await page.$$eval('[data-testid=source-strip] .src-token[style]', (s) => s.length);
    assert(
      lit === tokens.length,
      `hovering a target word lit ${lit} of ${tokens.length} source tokens`,
    );
    await saveScreenshot(`translate-${code}`, { fullPage: true });
  });
}

test('translate: beam search lists n-best hypotheses with scores', async ({ page }) => {
  requireModels('translate-en-es');
  await page.goto('/translate');
  await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
  await waitTranslation(page);
  await page.check('[data-testid=beam]');
  await page.waitForSelector('[data-testid=nbest] li', { timeout: 30_000 });
  const n = await page.$$eval('[data-testid=nbest] li', (l) => l.length);
  assert(n >= 2 && n <= 4, `beam 4 gave ${n} hypotheses`);
});

test('translate: the worker holds the same number of tensors after 20 more translations', async ({
  page,
}) => {
  requireModels('translate-en-es');
  await page.goto('/translate');
  await page.waitForSelector('[data-testid=model-ready]', { timeout: 60_000 });
  const tensorsAfter = async (source: string) => {
    await page.fill('[data-testid=source]', source);
    await waitTranslation(page, source);
    return Number(await page.getAttribute('[data-testid=timing]', 'data-tensors'));
  };
  await tensorsAfter('Open the file');
  const warm = await tensorsAfter('Save the document as %s');
  assert(Number.isFinite(warm) && warm > 0, `worker reported no tensor count (${warm})`);
  let last = warm;
  for (let i = 0; i < 20; i++) last = await tensorsAfter(`Delete ${i + 2} selected items`);
  assert(last === warm, `worker tensors grew from ${warm} to ${last} over 20 translations`);
});
