// /train end to end: a malformed TSV is refused with the line named; a small TSV trains in the
// worker (loss falls, charts drawn, pause/resume/stop), the exported zip loads in Node through
// load() and translates the same as the page; a reload resumes the run from IndexedDB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { unzipSync, zipSync } from 'fflate';
import { web } from './launch.mjs';
import { assert, openImportPanel, text } from './support/checks';
import { artifactsDir, test } from './support/fixtures';
import { makePng } from './support/png';

const EN = ['red', 'blue', 'green', 'black', 'white', 'small', 'big', 'old', 'new', 'open'];
const ES = [
  'rojo',
  'azul',
  'verde',
  'negro',
  'blanco',
  'pequeño',
  'grande',
  'viejo',
  'nuevo',
  'abierto',
];
const NOUN_EN = ['file', 'window', 'folder', 'page', 'door', 'book', 'table', 'house'];
const NOUN_ES = ['archivo', 'ventana', 'carpeta', 'página', 'puerta', 'libro', 'mesa', 'casa'];

/** 200 pairs "the ADJ NOUN" → "el NOUN ADJ" (word order changes, so attention has work to do). */
function corpus(): string {
  const lines: string[] = [];
  for (let a = 0; a < EN.length; a++)
    for (let n = 0; n < NOUN_EN.length; n++) {
      lines.push(`the ${EN[a]} ${NOUN_EN[n]}\tel ${NOUN_ES[n]} ${ES[a]}`);
      lines.push(`a ${EN[a]} ${NOUN_EN[n]}\tun ${NOUN_ES[n]} ${ES[a]}`);
      if ((a + n) % 2 === 0)
        lines.push(`my ${NOUN_EN[n]} is ${EN[a]}\tmi ${NOUN_ES[n]} es ${ES[a]}`);
    }
  return `${lines.join('\n')}\n`;
}

const upload = (page: Page, name: string, body: string) =>
  page.getByTestId('train-file').setInputFiles({
    name,
    mimeType: 'text/tab-separated-values',
    buffer: Buffer.from(body, 'utf8'),
  });

async function setSettings(page: Page, s: Record<string, string>) {
  for (const [k, v] of Object.entries(s)) {
    if (k === 'size') await page.getByTestId('train-size').selectOption(v);
    else await page.getByTestId(`train-${k}`).fill(v);
  }
}

/** The step and loss the page shows last, and the first ones of this session's chart. */
async function lastStep(page: Page) {
  const el = page.getByTestId('train-last');
  const n = async (a: string) => Number(await el.getAttribute(a));
  return {
    step: await n('data-step'),
    loss: await n('data-loss'),
    first: await n('data-first-loss'),
  };
}

const state = (page: Page) => page.getByTestId('train-state').getAttribute('data-state');

test('a malformed TSV is refused before training, naming the line and what was expected', async ({
  page,
}) => {
  await page.goto('/train');
  await upload(page, 'broken.tsv', 'Open\tAbrir\nSave as\nClose\t\n');
  const errors = await text(page, '[data-testid=train-errors]');
  assert(
    errors.includes('broken.tsv:2: expected at least 2 tab-separated columns') &&
      errors.includes('got 1: "Save as"'),
    `line 2's missing tab not named: ${errors}`,
  );
  assert(
    errors.includes('broken.tsv:3: expected text in both columns, got an empty target'),
    `line 3's empty target not named: ${errors}`,
  );
  assert(await page.getByTestId('train-start').isDisabled(), 'Train is enabled on a broken file');
  await upload(page, 'few.tsv', 'Open\tAbrir\nClose\tCerrar\n');
  const few = await text(page, '[data-testid=train-errors]');
  assert(few.includes('few.tsv: expected at least 20 sentence pairs'), `too few pairs: ${few}`);
  await upload(page, 'ok.tsv', corpus());
  assert(
    (await text(page, '[data-testid=train-data-ok]')).includes('ok.tsv: 200 sentence pairs'),
    'valid file not accepted',
  );
  assert(await page.getByTestId('train-start').isEnabled(), 'Train disabled on a valid file');
});

test('a small TSV trains in the worker (loss falls, charts drawn, pause/resume); the exported zip loads in Node through load() and translates the same', async ({
  page,
  saveScreenshot,
}) => {
  test.setTimeout(300_000);
  await page.goto('/train');
  await upload(page, 'colours.tsv', corpus());
  await setSettings(page, {
    size: 'tiny',
    steps: '300',
    batchSize: '16',
    vocabSize: '120',
    validateEvery: '100',
    lr: '0.01',
    target: 'es',
  });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=train-last]')?.getAttribute('data-step')) >= 10,
    undefined,
    { timeout: 120_000 },
  );
  const engine = page.getByTestId('train-engine');
  console.log(`engine: ${await engine.textContent()}`);
  // The app serves /train cross-origin isolated (COOP/COEP, next.config.ts): the kernels get threads.
  assert(await page.evaluate(() => crossOriginIsolated), '/train is not cross-origin isolated');
  assert(Number(await engine.getAttribute('data-threads')) > 1, 'expected more than one thread');
  assert((await engine.getAttribute('data-engine')) === 'kernels', 'expected the kernels engine');

  await page.getByTestId('train-pause').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'paused',
  );
  const paused = (await lastStep(page)).step;
  await page.waitForTimeout(1_500);
  assert((await lastStep(page)).step === paused, 'steps went on while paused');
  await page.getByTestId('train-resume').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'done',
    undefined,
    { timeout: 240_000 },
  );
  const end = await lastStep(page);
  console.log(
    `loss ${end.first.toFixed(3)} at step 1 → ${end.loss.toFixed(3)} at step ${end.step}`,
  );
  assert(end.step === 300, `expected 300 steps, got ${end.step}`);
  assert(end.loss < 0.6 * end.first, `loss did not fall: ${end.first} → ${end.loss}`);
  for (const chart of ['loss', 'grad', 'tps', 'valid']) {
    const paths = await page.locator(`[data-testid=train-chart-${chart}] svg path`).count();
    assert(paths > 0, `chart ${chart} has no line`);
  }
  const lastText = await text(page, '[data-testid=train-last]');
  assert(/tokens\/s/.test(lastText) && /BLEU/.test(lastText), `numbers missing: ${lastText}`);
  await saveScreenshot('train', { fullPage: true });

  // Try it in the page (through the exported folder, as load() builds it).
  const sources = ['the red file', 'a small window', 'my door is old'];
  const inPage: string[] = [];
  for (const s of sources) {
    await page.getByTestId('train-try-input').fill(s);
    await page.getByTestId('train-try').click();
    await page.locator(`[data-testid=train-try-output][data-source="${s}"]`).waitFor();
    inPage.push(await text(page, '[data-testid=train-try-text]'));
  }
  console.log(`in the page: ${JSON.stringify(inPage)}`);
  // The shape of each Spanish phrase (article, noun, adjective: the noun moves first) is learnt.
  const noun = `(${NOUN_ES.join('|')})`;
  const adj = `(${ES.join('|')})`;
  const shapes = [`^el ${noun} ${adj}$`, `^un ${noun} ${adj}$`, `^mi ${noun} es ${adj}$`];
  for (const [i, re] of shapes.entries())
    assert(new RegExp(re).test(inPage[i] as string), `'${sources[i]}' → '${inPage[i]}'`);

  // Export the folder as a zip and load it in Node with @seqlab/models/node load().
  await page.getByTestId('train-name').fill('colours-en-es');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('train-export').click(),
  ]);
  const dir = join(artifactsDir, 'train-export');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const zipPath = join(dir, 'colours-en-es.zip');
  await download.saveAs(zipPath);
  const { readFileSync } = await import('node:fs');
  const entries = unzipSync(new Uint8Array(readFileSync(zipPath)));
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  const folder = join(dir, 'colours-en-es');
  for (const f of ['model.json', 'tokenizer.json', 'card.md'])
    assert(entries[`colours-en-es/${f}`], `zip lacks colours-en-es/${f}: ${Object.keys(entries)}`);
  const script = join(dir, 'load.mts');
  writeFileSync(
    script,
    [
      "import { initBackend } from '@seqlab/rnn';",
      "import { load } from '@seqlab/models/node';",
      'await initBackend();',
      `const m = await load(${JSON.stringify(folder)});`,
      "if (m.task !== 'translate') throw new Error(m.task);",
      `const out = [];`,
      `for (const s of ${JSON.stringify(sources)}) out.push((await m.translate(s, { beam: 1 })).text);`,
      'console.log(JSON.stringify({ name: m.card.name, out }));',
      'm.dispose();',
    ].join('\n'),
  );
  const r = spawnSync(join(web, '..', '..', 'node_modules', '.bin', 'tsx'), [script], {
    cwd: web,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert(r.status === 0, `node load() failed (${r.status}): ${r.stderr}`);
  const node = JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as {
    name: string;
    out: string[];
  };
  console.log(`in Node:     ${JSON.stringify(node.out)}`);
  assert(node.name === 'colours-en-es', `card name ${node.name}`);
  assert(JSON.stringify(node.out) === JSON.stringify(inPage), `Node ${node.out} ≠ page ${inPage}`);

  // Training again from the start: the first run's tensors are all freed (the count is the same
  // after each run), and the seeded run gives the same model.
  const tensors = async () =>
    Number(await page.getByTestId('train-tensors').getAttribute('data-tensors'));
  const first = await tensors();
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') !== 'done',
  );
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'done',
    undefined,
    { timeout: 240_000 },
  );
  const second = await tensors();
  console.log(`tensors in the worker after each run: ${first}, ${second}`);
  assert(second === first, `tensors after the first run ${first}, after the second ${second}`);
  await page.getByTestId('train-try-input').fill('x');
  await page.getByTestId('train-try-input').fill(sources[0] as string);
  await page.getByTestId('train-try').click();
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid=train-try-text]')?.textContent === want,
    inPage[0] as string,
  );

  // Save it in the browser, then open the zip (and the saved copy) in /translate.
  await page.getByTestId('train-save').click();
  await page.getByTestId('train-note').filter({ hasText: 'saved in this browser' }).waitFor();
  await openImportPanel(page, '/translate');
  await page.getByTestId('import-zip').setInputFiles(zipPath);
  await page
    .locator('[data-testid=import-ready][data-name="colours-en-es"]')
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('import-text').fill(sources[0] as string);
  await page.getByTestId('import-translate').click();
  await page.getByTestId('import-output').waitFor();
  const imported = await text(page, '[data-testid=import-output]');
  assert(imported === inPage[0], `/translate with the zip: ${imported} ≠ ${inPage[0]}`);
  const saved = page.getByTestId('import-saved');
  assert(
    (await saved.locator('option').allTextContents()).includes('colours-en-es'),
    'the saved model is not offered in /translate',
  );
});

test('a reload resumes training from the checkpoint in IndexedDB', async ({ page }) => {
  test.setTimeout(300_000);
  await page.goto('/train');
  await upload(page, 'colours.tsv', corpus());
  await setSettings(page, {
    size: 'tiny',
    steps: '400',
    batchSize: '16',
    vocabSize: '120',
    validateEvery: '200',
  });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=train-checkpoint]')?.getAttribute('data-step')) >=
      20,
    undefined,
    { timeout: 120_000 },
  );
  await page.reload();
  const banner = page.getByTestId('train-stored');
  await banner.waitFor({ timeout: 30_000 });
  const saved = Number(await page.getByTestId('train-stored-step').textContent());
  assert(saved >= 20, `stored step ${saved}`);
  await page.getByTestId('train-resume-stored').click();
  await page.waitForFunction(
    (s) =>
      Number(document.querySelector('[data-testid=train-last]')?.getAttribute('data-step')) > s + 5,
    saved,
    { timeout: 120_000 },
  );
  const engine = page.getByTestId('train-engine');
  assert(
    Number(await engine.getAttribute('data-resumed-from')) === saved,
    `resumed from ${await engine.getAttribute('data-resumed-from')}, stored ${saved}`,
  );
  // The chart keeps the steps before the reload: its first point is step 1.
  assert(
    Number(await page.getByTestId('train-last').getAttribute('data-first-step')) === 1,
    'the chart lost the history before the reload',
  );
  await page.getByTestId('train-stop').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'stopped',
    undefined,
    { timeout: 60_000 },
  );
  assert((await state(page)) === 'stopped', 'not stopped');
});

const COLOURS: [string, [number, number, number]][] = [
  ['red', [220, 30, 30]],
  ['blue', [30, 60, 220]],
  ['green', [30, 170, 60]],
  ['yellow', [240, 210, 20]],
];

/** A shape on white, centred, in an image of any size: a filled square or a disc. */
function shapePng(w: number, h: number, shape: 'square' | 'circle', rgb: [number, number, number]) {
  const r = Math.min(w, h) * 0.3;
  return makePng(w, h, (x, y) => {
    const dx = x - w / 2;
    const dy = y - h / 2;
    const inside =
      shape === 'square' ? Math.max(Math.abs(dx), Math.abs(dy)) < r : dx * dx + dy * dy < r * r;
    return inside ? rgb : [255, 255, 255];
  });
}

/** 48 images of 4 colours × 2 shapes, 6 sizes each (16×16 up to 120×90), and their captions.tsv. */
function captionZip(extra: Record<string, Uint8Array> = {}, tsvExtra = ''): Buffer {
  const files: Record<string, Uint8Array> = {};
  const lines: string[] = [];
  const sizes = [
    [16, 16],
    [40, 30],
    [64, 64],
    [90, 120],
    [120, 90],
    [33, 47],
  ];
  for (const [name, rgb] of COLOURS)
    for (const shape of ['square', 'circle'] as const)
      for (const [i, [w, h]] of sizes.entries()) {
        const file = `${name}-${shape}-${i}.png`;
        files[`shapes/${file}`] = new Uint8Array(shapePng(w as number, h as number, shape, rgb));
        lines.push(`${file}\ta ${name} ${shape}`);
      }
  files['shapes/captions.tsv'] = new TextEncoder().encode(`${lines.join('\n')}\n${tsvExtra}`);
  for (const [k, v] of Object.entries(extra)) files[`shapes/${k}`] = v;
  return Buffer.from(zipSync(files));
}

test('a captions zip with missing or broken images is refused, naming the line and the file', async ({
  page,
}) => {
  await page.goto('/train');
  await page.getByTestId('train-task-caption').check();
  const bad = captionZip({}, 'purple-star.png\ta purple star\nno tab on this line\n');
  await page
    .getByTestId('train-caption-zip')
    .setInputFiles({ name: 'bad.zip', mimeType: 'application/zip', buffer: bad });
  const errors = await text(page, '[data-testid=train-errors]');
  assert(
    errors.includes("bad.zip/captions.tsv:49: image 'purple-star.png' is not in bad.zip"),
    `missing image not named: ${errors}`,
  );
  assert(
    errors.includes("bad.zip/captions.tsv:50: expected 'image<TAB>caption'"),
    `line without a tab not named: ${errors}`,
  );
  const broken = captionZip(
    { 'oops.png': new TextEncoder().encode('not a png') },
    'oops.png\ta broken image\n',
  );
  await page
    .getByTestId('train-caption-zip')
    .setInputFiles({ name: 'broken.zip', mimeType: 'application/zip', buffer: broken });
  await page
    .getByTestId('train-errors')
    .filter({ hasText: 'broken.zip/oops.png: could not be decoded' })
    .waitFor();
  const none = Buffer.from(zipSync({ 'a.png': new Uint8Array(makePng(8, 8, () => [0, 0, 0])) }));
  await page
    .getByTestId('train-caption-zip')
    .setInputFiles({ name: 'none.zip', mimeType: 'application/zip', buffer: none });
  await page
    .getByTestId('train-errors')
    .filter({ hasText: 'none.zip: expected one captions.tsv beside the images' })
    .waitFor();
  assert(await page.getByTestId('train-start').isDisabled(), 'Train is enabled on broken data');
});

test('images of any size with captions.tsv train a captioner in the page; its zip opens in /caption and captions the same', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/train');
  await page.getByTestId('train-task-caption').check();
  await page
    .getByTestId('train-caption-zip')
    .setInputFiles({ name: 'shapes.zip', mimeType: 'application/zip', buffer: captionZip() });
  const ok = await text(page, '[data-testid=train-data-ok]');
  assert(ok.includes('shapes.zip: 48 captioned images (resized to 64×64)'), ok);
  await setSettings(page, {
    size: 'tiny',
    steps: '150',
    batchSize: '16',
    validateEvery: '50',
    lr: '0.005',
  });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'done',
    undefined,
    { timeout: 240_000 },
  );
  const end = await lastStep(page);
  console.log(
    `captioner: loss ${end.first.toFixed(3)} at step 1 → ${end.loss.toFixed(3)} at step ${end.step}; ${await text(page, '[data-testid=train-last]')}`,
  );
  assert(end.loss < 0.6 * end.first, `loss did not fall: ${end.first} → ${end.loss}`);
  assert(
    (await text(page, '[data-testid=train-last]')).includes('exact match'),
    'no exact-match score shown',
  );
  for (const chart of ['loss', 'valid'])
    assert(
      (await page.locator(`[data-testid=train-chart-${chart}] svg path`).count()) > 0,
      `chart ${chart} empty`,
    );

  const probe = {
    name: 'probe.png',
    mimeType: 'image/png',
    buffer: shapePng(150, 100, 'circle', [30, 60, 220]),
  };
  await page.getByTestId('train-try-image').setInputFiles(probe);
  await page.locator('[data-testid=train-try-output][data-source="probe.png"]').waitFor();
  const inPage = await text(page, '[data-testid=train-try-text]');
  console.log(`caption in the page: ${inPage}`);
  assert(/^a (red|blue|green|yellow) (square|circle)$/.test(inPage), `caption '${inPage}'`);

  await page.getByTestId('train-name').fill('shapes-captioner');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('train-export').click(),
  ]);
  const zipPath = join(artifactsDir, 'train-export', 'shapes-captioner.zip');
  mkdirSync(join(artifactsDir, 'train-export'), { recursive: true });
  await download.saveAs(zipPath);
  await openImportPanel(page, '/caption');
  await page.getByTestId('import-zip').setInputFiles(zipPath);
  await page
    .locator('[data-testid=import-ready][data-name="shapes-captioner"]')
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('import-image').setInputFiles(probe);
  await page.getByTestId('import-output').waitFor();
  const imported = await text(page, '[data-testid=import-output]');
  assert(imported === inPage, `/caption with the zip: '${imported}' ≠ page '${inPage}'`);
});

test('a CSV time series (Mauna Loa CO2, vega-datasets) trains a forecaster; a non-numeric cell is named first', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(
    join(web, 'node_modules/vega-datasets/data/co2-concentration.csv'),
    'utf8',
  );
  await page.goto('/train');
  await page.getByTestId('train-task-series').check();
  const broken = csv.replace('1958-04-01,317.46,315.16', '1958-04-01,n/a,oops');
  assert(broken !== csv, 'the CO2 file changed: line 3 is not 1958-04-01,317.46,315.16');
  await page
    .getByTestId('train-series-file')
    .setInputFiles({ name: 'co2-broken.csv', mimeType: 'text/csv', buffer: Buffer.from(broken) });
  const errors = await text(page, '[data-testid=train-errors]');
  assert(errors.includes(`co2-broken.csv:3: column 'CO2': expected a number, got "n/a"`), errors);
  assert(
    errors.includes('co2-broken.csv:3: column \'adjusted CO2\': expected a number, got "oops"'),
    errors,
  );

  await page
    .getByTestId('train-series-file')
    .setInputFiles({ name: 'co2.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  const ok = await text(page, '[data-testid=train-data-ok]');
  assert(
    ok.includes("co2.csv: 2 numeric column(s); 'CO2' has 741 values, the last 36 held out"),
    ok,
  );
  await setSettings(page, {
    size: 'small',
    steps: '8',
    batchSize: '32',
    validateEvery: '2',
    lr: '0.01',
  });
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-forecast').waitFor({ timeout: 240_000 });
  const f = page.getByTestId('train-forecast');
  const mae = Number(await f.getAttribute('data-mae'));
  const naive = Number(await f.getAttribute('data-naive'));
  const end = await lastStep(page);
  console.log(
    `forecaster: NLL ${end.first.toFixed(3)} → ${end.loss.toFixed(3)} in ${end.step} epochs; MAE ${mae.toFixed(2)} ppm (seasonal naive ${naive.toFixed(2)})`,
  );
  assert(
    end.step === 8 && end.loss < end.first,
    `loss ${end.first} → ${end.loss} in ${end.step} epochs`,
  );
  assert(Number.isFinite(mae) && mae < 3 * naive, `forecast MAE ${mae} vs naive ${naive}`);
  assert(
    (await page.locator('[data-testid=train-chart-forecast] svg path').count()) > 0,
    'no forecast chart',
  );
  assert((await state(page)) === 'done', 'not done');
});

test('cross-origin isolated (COOP/COEP added by a proxy), translators train on the kernels with several threads', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const { createServer, request } = await import('node:http');
  const target = new URL(baseURL as string);
  // The app sends COOP/COEP on /train itself (next.config.ts); this proxy adds them to every
  // response, as a deployment's server would, and the page must be isolated through it too.
  const proxy = createServer((req, res) => {
    const up = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (r) => {
        res.writeHead(r.statusCode ?? 502, {
          ...r.headers,
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-embedder-policy': 'require-corp',
        });
        r.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  try {
    await page.goto(`http://127.0.0.1:${port}/train`);
    assert(await page.evaluate(() => crossOriginIsolated), 'the page is not cross-origin isolated');
    await upload(page, 'colours.tsv', corpus());
    await setSettings(page, {
      size: 'tiny',
      steps: '100',
      batchSize: '16',
      vocabSize: '120',
      validateEvery: '100',
      lr: '0.01',
    });
    await page.getByTestId('train-start').click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'done',
      undefined,
      { timeout: 240_000 },
    );
    const engine = page.getByTestId('train-engine');
    console.log(`isolated: ${await engine.textContent()}`);
    assert(Number(await engine.getAttribute('data-threads')) > 1, 'expected more than one thread');
    const end = await lastStep(page);
    assert(end.step === 100 && end.loss < 0.6 * end.first, `loss ${end.first} → ${end.loss}`);
  } finally {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  }
});

test('"Use your own model" opens a model folder by same-site URL and as a folder; another site is refused with the reason', async ({
  page,
}) => {
  await openImportPanel(page, '/translate');
  await page.getByTestId('import-url').fill('https://example.com/models/en-fr');
  await page.getByTestId('import-url-load').click();
  const refused = await text(page, '[data-testid=import-error]');
  assert(
    refused.includes('this app loads models from its own site only') &&
      refused.includes('open it as a zip or folder'),
    refused,
  );
  await page.getByTestId('import-url').fill('/models/translate-en-es');
  await page.getByTestId('import-url-load').click();
  await page
    .locator('[data-testid=import-ready][data-name="translate-en-es"]')
    .waitFor({ timeout: 60_000 });
  await page.getByTestId('import-text').fill('Open the file');
  await page.getByTestId('import-translate').click();
  await page.getByTestId('import-output').waitFor();
  const byUrl = await text(page, '[data-testid=import-output]');
  assert(byUrl.length > 0, 'no translation from the URL model');

  await page.getByTestId('import-folder').setInputFiles(join(web, 'public/models/translate-en-es'));
  await page.waitForFunction(() => !document.querySelector('[data-testid=import-output]'));
  await page.getByTestId('import-translate').click();
  await page.getByTestId('import-output').waitFor();
  const byFolder = await text(page, '[data-testid=import-output]');
  assert(byFolder === byUrl, `folder '${byFolder}' ≠ URL '${byUrl}'`);

  await openImportPanel(page, '/caption');
  await page.getByTestId('import-url').fill('/models/translate-en-es');
  await page.getByTestId('import-url-load').click();
  const wrong = await text(page, '[data-testid=import-error]');
  assert(wrong.includes('this is a translate model; this page needs a caption model'), wrong);
});

test('a reload resumes a captioning run from IndexedDB (its images are stored with it)', async ({
  page,
}) => {
  test.setTimeout(300_000);
  await page.goto('/train');
  await page.getByTestId('train-task-caption').check();
  await page
    .getByTestId('train-caption-zip')
    .setInputFiles({ name: 'shapes.zip', mimeType: 'application/zip', buffer: captionZip() });
  await page.getByTestId('train-data-ok').waitFor();
  await setSettings(page, { size: 'tiny', steps: '400', batchSize: '16', validateEvery: '400' });
  await page.getByTestId('train-start').click();
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=train-checkpoint]')?.getAttribute('data-step')) >=
      20,
    undefined,
    { timeout: 120_000 },
  );
  await page.reload();
  await page.getByTestId('train-stored').waitFor({ timeout: 30_000 });
  assert(
    (await text(page, '[data-testid=train-stored]')).includes('captioning run on shapes.zip'),
    'banner',
  );
  const saved = Number(await page.getByTestId('train-stored-step').textContent());
  await page.getByTestId('train-resume-stored').click();
  await page.waitForFunction(
    (s) =>
      Number(document.querySelector('[data-testid=train-last]')?.getAttribute('data-step')) > s + 5,
    saved,
    { timeout: 120_000 },
  );
  assert(
    Number(await page.getByTestId('train-engine').getAttribute('data-resumed-from')) === saved,
    'not resumed from the stored step',
  );
  await page.getByTestId('train-stop').click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=train-state]')?.getAttribute('data-state') === 'stopped',
    undefined,
    { timeout: 60_000 },
  );
  await page.getByTestId('train-try-image').setInputFiles({
    name: 'probe.png',
    mimeType: 'image/png',
    buffer: shapePng(64, 64, 'square', [220, 30, 30]),
  });
  await page.locator('[data-testid=train-try-output][data-source="probe.png"]').waitFor();
});
