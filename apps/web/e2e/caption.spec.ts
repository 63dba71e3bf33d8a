// /caption: the page, uploads, drawing and webcam, then captions by the trained models.
import {
  assert,
  backendReported,
  controlsLabelled,
  noHorizontalScroll,
  requireModels,
  text,
} from './support/checks';
import { test } from './support/fixtures';
import { gradientPng, makePng } from './support/png';

test('caption page: worker backend, a Shapes scene with its true caption, labelled controls', async ({
  page,
  saveScreenshot,
}) => {
  await page.goto('/caption');
  await backendReported(page);
  await page.waitForSelector('[data-testid=truth-text]');
  const first = await text(page, '[data-testid=truth-text]');
  assert(
    /^an? (small|large) \w+ (circle|square|triangle|star)/.test(first),
    `odd truth caption: ${first}`,
  );
  // Shapes differ from the pale background by far more than its jitter (gray shapes included).
  const painted = await page.$eval('[data-testid=preview]', (c) => {
    const canvas = c as HTMLCanvasElement;
    const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let shape = 0;
    for (let i = 0; i < d.length; i += 4)
      if (Math.abs(d[i]! - d[0]!) + Math.abs(d[i + 1]! - d[1]!) + Math.abs(d[i + 2]! - d[2]!) > 90)
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
    scenes.add(await text(page, '[data-testid=truth-text]'));
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
  await saveScreenshot('caption', { fullPage: true });
});

test('caption: a PNG upload is shown; a text file, a broken PNG and a huge PNG give clear errors', async ({
  page,
  saveScreenshot,
}) => {
  await page.goto('/caption');
  await page.click('[data-testid=tab-file]');
  const input = '[data-testid=file]';
  await page.setInputFiles(input, {
    name: 'notes.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not an image'),
  });
  let msg = (await (await page.waitForSelector('[data-testid=caption-error]')).textContent()) ?? '';
  assert(msg.includes('“notes.txt” is not an image'), `text file message: ${msg}`);
  await page.setInputFiles(input, {
    name: 'broken.png',
    mimeType: 'image/png',
    buffer: Buffer.from('\x89PNG garbage that is not a png'),
  });
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=caption-error]')?.textContent?.includes('broken.png'),
  );
  msg = await text(page, '[data-testid=caption-error]');
  assert(/could not be (read|decoded)/.test(msg), `broken file message: ${msg}`);
  const huge = makePng(4, 4, () => [0, 0, 0], { width: 30000, height: 30000 });
  await page.setInputFiles(input, { name: 'huge.png', mimeType: 'image/png', buffer: huge });
  await page.waitForFunction(() =>
    document.querySelector('[data-testid=caption-error]')?.textContent?.includes('huge.png'),
  );
  msg = await text(page, '[data-testid=caption-error]');
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
    (c) => (c as HTMLCanvasElement).getContext('2d')!.getImageData(250, 10, 1, 1).data[0] ?? 0,
  );
  assert(red > 150, `the uploaded gradient is not in the preview (red ${red} at the right edge)`);
  const notice = await text(page, '[data-testid=scope-notice]');
  assert(/has only ever seen/.test(notice), 'no scope notice for a photo');
  await saveScreenshot('caption-file', { fullPage: true });
});

test('caption: drawing gives the generator caption; the emoji gallery shows 3 attributed styles', async ({
  page,
  saveScreenshot,
}) => {
  await page.goto('/caption');
  await page.click('[data-testid=tab-draw]');
  const box = await (await page.$('[data-testid=draw-canvas]'))?.boundingBox();
  assert(box, 'no drawing canvas');
  await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=truth-text]')?.textContent === 'a large red circle',
  );
  await page.click('[data-testid=tab-emoji]');
  await page.waitForSelector('.emoji img');
  const count = await page.$$eval('.emoji img', (imgs) => imgs.length);
  assert(count >= 30, `only ${count} emoji in the gallery`);
  const licence = await text(page, '[data-testid=emoji-licence]');
  for (const l of ['Apache-2.0', 'CC-BY-4.0', 'CC-BY-SA-4.0'])
    assert(licence.includes(l), `licence ${l} not attributed`);
  assert(
    (await page.inputValue('[data-testid=caption-model]')) === 'caption-emoji',
    'emoji tab should pick the emoji model',
  );
  await page.click('text=OpenMoji');
  await page.waitForFunction(() =>
    [...document.querySelectorAll<HTMLImageElement>('.emoji img')].every(
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
  const caption = (await text(page, '[data-testid=caption]')).trim();
  const known: string[] = await page.evaluate(() =>
    fetch('/models/caption-emoji/captions.json').then((r) => r.json()),
  );
  assert(known.includes(caption), `closed-set caption "${caption}" is not a known emoji name`);
  await saveScreenshot('caption-emoji', { fullPage: true });
});

test('caption: a webcam frame (Chromium fake camera) reaches the preview', async ({
  page,
  context,
  baseURL,
}) => {
  await context.grantPermissions(['camera'], { origin: baseURL });
  await page.goto('/caption');
  await page.click('[data-testid=tab-camera]');
  await page.click('text=Start camera');
  await page.waitForSelector('text=Capture frame', { timeout: 10_000 });
  await page.waitForFunction(
    () => (document.querySelector<HTMLVideoElement>('video.webcam')?.videoWidth ?? 0) > 0,
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
});

test.describe('at 360 px', () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test('caption page works at 360 px wide', async ({ page, saveScreenshot }) => {
    await page.goto('/caption');
    await page.waitForSelector('[data-testid=truth-text]');
    await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
      timeout: 30_000,
    });
    await noHorizontalScroll(page);
    await page.click('[data-testid=tab-emoji]');
    await page.waitForSelector('.emoji img');
    await noHorizontalScroll(page);
    await saveScreenshot('caption-360', { fullPage: true });
  });
});

// ---- with the trained models ----

test('caption: one-object Shapes scenes get their true caption (multi-object accuracy printed)', async ({
  page,
  saveScreenshot,
}) => {
  requireModels('caption-shapes');
  await page.goto('/caption');
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
    if (i === 0) await saveScreenshot('caption-shapes', { fullPage: true });
  }
  assert(right >= 4, `only ${right} of ${tries} scenes captioned exactly`);
  await page.hover('.word >> nth=0');
  assert(await page.$('.word[aria-pressed=true]'), 'hovering a caption word does not select it');
  // Beam search: the width slider comes alive and the result says which decoding ran.
  assert(await page.isDisabled('[data-testid=cap-beam-width]'), 'width enabled under greedy');
  await page.check('[data-testid=cap-beam]');
  assert(!(await page.isDisabled('[data-testid=cap-beam-width]')), 'width disabled under beam');
  await page.waitForFunction(
    () => /beam 3/.test(document.querySelector('[data-testid=caption-timing]')?.textContent ?? ''),
    null,
    { timeout: 30_000 },
  );
});

test('caption: an uploaded PNG gets a caption and an honest scope notice', async ({ page }) => {
  requireModels('caption-shapes');
  await page.goto('/caption');
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
  assert((await text(page, '[data-testid=caption]')).trim().length > 0, 'empty caption');
  assert(await page.$('[data-testid=scope-notice]'), 'no scope notice');
});
