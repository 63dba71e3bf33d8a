// The RNN lab (/lab): sections §1, §2 and §4, isolation and the narrow layout (the training
// sections, measured while they train, are lab-training.spec.ts). Runs are kept to seconds.
import { assert, requireModels, text } from './support/checks';
import { test } from './support/fixtures';
import { marks, num, openLab } from './support/lab';

test('lab §1: language ID updates per character from the shipped model; word classifier, captioner and translator answer', async ({
  page,
  baseURL,
  saveScreenshot,
}) => {
  requireModels('langid', 'caption-shapes', 'translate-en-es');
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url().replace(baseURL ?? '', '')));
  await openLab(page);
  assert(
    workers.includes('/workers/lab/lab.js'),
    `lab worker not started: ${JSON.stringify(workers)}`,
  );
  // Nothing else starts until asked (captioner and translator load on their buttons).
  assert(workers.length === 1, `workers started on load: ${JSON.stringify(workers)}`);
  for (const [input, lang] of [
    ['¿Desea guardar los cambios en el documento?', 'es'],
    ['Möchten Sie die Änderungen speichern?', 'de'],
    ['Do you want to save the changes?', 'en'],
  ] as const) {
    await page.fill('[data-testid=langid-input]', input);
    await page.waitForFunction(
      ([l, n]) => {
        const el = document.querySelector('[data-testid=langid-answer]');
        return (
          el?.getAttribute('data-language') === l && el.getAttribute('data-steps') === String(n)
        );
      },
      [lang, [...input].length] as const,
      { timeout: 30_000 },
    );
  }
  assert((await marks(page, 'langid-chart')) > 0, 'per-character chart is empty');
  // Three identifications later the worker holds exactly as many tensors (the model's own).
  const held = await num(page, '[data-testid=langid-answer]', 'data-tensors');
  for (const input of ['Abrir', 'Ouvrir le fichier', 'Open the file']) {
    await page.fill('[data-testid=langid-input]', input);
    await page.waitForFunction(
      (n) =>
        document.querySelector('[data-testid=langid-answer]')?.getAttribute('data-steps') ===
        String(n),
      [...input].length,
      { timeout: 30_000 },
    );
    const now = await num(page, '[data-testid=langid-answer]', 'data-tensors');
    assert(now === held, `worker tensors ${held} → ${now} after identifying '${input}'`);
  }
  const card = await text(page, '[data-testid=langid-card]');
  assert(/accuracy \d+\.\d%/.test(card), `model card numbers missing: ${card}`);
  await page.fill('[data-testid=ff-word]', 'Datei');
  await page.waitForSelector('[data-testid=ff-answer][data-language]', { timeout: 10_000 });
  // One-to-many and many-to-many run the shipped captioner and translator in their own workers.
  await page.click('[data-testid=caption-run]');
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=caption-words] li').length >= 2,
    null,
    { timeout: 60_000 },
  );
  await page.click('[data-testid=mt-run]');
  await page.waitForSelector('[data-testid=mt-tokens]', { timeout: 60_000 });
  const mt = await text(page, '[data-testid=mt-tokens]');
  assert(/\d+ tokens in: .*Open.* → \d+ tokens out: \S/.test(mt), `translation tokens: ${mt}`);
  await saveScreenshot('lab-types', { fullPage: false });
});

test('lab §2: BPTT view shows states, per-step loss and gradients; each update lowers the loss', async ({
  page,
}) => {
  await openLab(page, '#bptt');
  await page.waitForSelector('[data-testid=bptt-loss]', { timeout: 30_000 });
  for (const id of ['bptt-hidden', 'bptt-steploss', 'bptt-dhidden', 'bptt-grad'])
    assert((await marks(page, id)) > 0, `${id} chart empty`);
  for (let i = 1; i <= 3; i++) {
    await page.click('[data-testid=bptt-update]');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid=bptt-history] li').length === n,
      i,
      { timeout: 10_000 },
    );
  }
  const rows = await page.$$eval('[data-testid=bptt-history] li', (ls) =>
    ls.map((l) => [Number(l.getAttribute('data-before')), Number(l.getAttribute('data-after'))]),
  );
  for (const [b, a] of rows) assert(a! < b!, `an update raised the loss: ${b} → ${a}`);
  assert(rows[2]![1]! < rows[0]![0]!, `loss did not fall over 3 updates: ${JSON.stringify(rows)}`);
});

test('lab §4: gate heatmaps from the shipped translator encoder and the language-ID model', async ({
  page,
  saveScreenshot,
}) => {
  requireModels('langid', 'translate-en-es');
  await openLab(page, '#gates');
  await page.fill('[data-testid=gates-input]', 'Open the file');
  // The view of the typed text, not the default sentence's that may still be shown.
  await page.waitForSelector('[data-testid=gates-explain][data-text="Open the file"]', {
    timeout: 60_000,
  });
  const tokens = await num(page, '[data-testid=gates-explain]', 'data-tokens');
  const units = await num(page, '[data-testid=gates-explain]', 'data-units');
  await marks(page, 'gates-forget');
  // The heatmap is one raster image with a pixel per (token, unit) cell.
  const raster = '[data-testid=gates-forget] svg g[aria-label=raster] image';
  const image = await page.$eval(raster, async (el) => {
    const img = new Image();
    img.src = el.getAttribute('href') ?? el.getAttribute('xlink:href') ?? '';
    await img.decode();
    return { w: img.naturalWidth, h: img.naturalHeight };
  });
  assert(tokens >= 3 && units >= 16, `translator encoder: ${tokens} tokens × ${units} units`);
  assert(
    image.w === tokens && image.h === units,
    `forget heatmap is ${image.w} × ${image.h} cells, expected ${tokens} × ${units}`,
  );
  // A cell's value shows under the pointer.
  const box = await page.locator(raster).boundingBox();
  assert(box, 'forget heatmap image has no box');
  await page.mouse.move(box.x + box.width / (2 * tokens), box.y + box.height / (2 * units));
  const tip = await page
    .locator('[data-testid=gates-forget] svg g[aria-label=tip]')
    .textContent({ timeout: 5_000 });
  assert(/token .+, unit 0: 0?\.\d{3}/.test(tip ?? ''), `forget heatmap tip: ${tip}`);
  const explain = await text(page, '[data-testid=gates-explain]');
  const [, lo, hi] = /forget gate runs from (-?[\d.]+) to (-?[\d.]+)/.exec(explain) ?? [];
  assert(
    Number(lo) >= 0 && Number(hi) <= 1 && Number(hi) > Number(lo),
    `forget gate range ${lo}..${hi}`,
  );
  await saveScreenshot('lab-gates', { fullPage: false });
  await page.selectOption('[data-testid=gates-source]', 'langid');
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=gates-explain]')?.getAttribute('data-units') === '48',
    null,
    { timeout: 30_000 },
  );
  await page.fill('[data-testid=gates-unit]', '5');
  assert((await marks(page, 'gates-follow')) > 0, 'unit follow chart empty');
});

test("lab: the lab's JavaScript loads only on /lab; the home page links it", async ({ page }) => {
  const bodies: string[] = [];
  page.on('response', async (r) => {
    if (r.url().endsWith('.js')) bodies.push(await r.text().catch(() => ''));
  });
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  await page.goto('/');
  assert(await page.$('main a[href="/lab"]'), 'home page does not link /lab');
  await page.goto('/translate');
  await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
    timeout: 60_000,
  });
  const leaked = bodies.filter(
    (b) => b.includes('/workers/lab/lab.js') || b.includes('ariaDescription'),
  );
  assert(leaked.length === 0, `${leaked.length} script(s) with lab code loaded outside /lab`);
  // /train (charts, the trainer) is linked from the home page but never prefetched either.
  assert(await page.$('header a[href="/train"]'), 'the header does not link /train');
  const trainLeaked = bodies.filter((b) => b.includes('train-start'));
  assert(
    trainLeaked.length === 0,
    `${trainLeaked.length} script(s) of /train loaded outside /train`,
  );
  assert(!workers.some((w) => w.includes('/workers/lab/')), 'lab worker started outside /lab');
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('lab at 360 px: every section mounts as it is scrolled to, no horizontal scroll, every control labelled', async ({
    page,
    saveScreenshot,
  }) => {
    requireModels('langid', 'translate-en-es');
    await openLab(page);
    for (const id of ['types', 'bptt', 'gradients', 'gates', 'bidirectional', 'forecast']) {
      await page.locator(`#${id}`).scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (s) =>
          !document.querySelector(`#${s}`)?.textContent?.includes('loads when you scroll here'),
        id,
        { timeout: 10_000 },
      );
    }
    await page.waitForSelector('[data-testid=gates-explain]', { timeout: 60_000 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    assert(overflow <= 1, `lab page scrolls horizontally by ${overflow}px`);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('main input, main select, main button')]
        .filter((e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent?.trim()))
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    assert(unlabelled.length === 0, `unlabelled controls: ${unlabelled.join(' | ')}`);
    await saveScreenshot('lab-360', { fullPage: false });
  });
});
