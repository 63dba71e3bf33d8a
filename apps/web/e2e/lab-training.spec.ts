// The RNN lab's training sections (§3 gradients, §5 bidirectional, §6 forecast), each trained in
// the page while its main thread is measured (the 50 ms budget, see support/lab.ts).
import { assert, text } from './support/checks';
import { test } from './support/fixtures';
import { marks, num, openLab, responsive, runState } from './support/lab';

// Playwright's trace takes a DOM snapshot of the page at every call (40–110 ms of the page's main
// thread once the lab's charts are drawn), which these tests would measure as the app's. Their
// traces keep the actions, screenshots, console and network, without DOM snapshots.
test.use({ trace: { mode: 'retain-on-failure', snapshots: false } });

test('lab §3: exploding SimpleRNN — clipping caps the applied norm; pause/resume/stop; no tensor leak; UI never blocks > 50 ms', async ({
  page,
  context,
  saveScreenshot,
}) => {
  await openLab(page, '#gradients');
  await page.fill('[data-testid=grad-steps]', '25');
  await page.fill('[data-testid=grad-time]', '30');
  await page.selectOption('[data-testid=grad-activation]', 'relu');
  await page.selectOption('[data-testid=grad-init]', 'identity');
  await page.fill('[data-testid=grad-gain]', '1.3');
  await responsive(context, page, 'gradient training', async () => {
    await page.click('[data-testid=grad-train]');
    await runState(page, 'grad', ['done']);
  });
  const rawOff = await num(page, '[data-testid=grad-row-simpleRNN]', 'data-max-raw');
  const appliedOff = await num(page, '[data-testid=grad-row-simpleRNN]', 'data-max-applied');
  assert(
    Math.abs(appliedOff - rawOff) < 1e-6 * rawOff,
    'without clipping the applied norm is the gradient norm',
  );
  for (const id of ['grad-loss', 'grad-steps-chart', 'grad-norm'])
    assert((await marks(page, id)) > 0, `${id} chart empty`);
  // Model loads of other sections (if any came into view) settle before the leak baseline.
  await page.waitForLoadState('networkidle');
  await page.check('[data-testid=grad-clip-on]');
  await page.fill('[data-testid=grad-clip]', '1');
  await page.click('[data-testid=grad-train]');
  await runState(page, 'grad', ['done']);
  const rawOn = await num(page, '[data-testid=grad-row-simpleRNN]', 'data-max-raw');
  const appliedOn = await num(page, '[data-testid=grad-row-simpleRNN]', 'data-max-applied');
  console.log(
    `    SimpleRNN max gradient norm ${rawOff.toFixed(2)}; clipped at 1: applied ≤ ${appliedOn.toFixed(3)} (raw ${rawOn.toFixed(2)})`,
  );
  assert(rawOn > 1, `the gradient should exceed the threshold here, max ${rawOn}`);
  assert(appliedOn <= 1 + 1e-4, `clipping at 1 applied a norm of ${appliedOn}`);
  assert(appliedOff > 1, `without clipping the applied norm exceeds 1 (${appliedOff})`);
  const tensors = await num(page, '[data-testid=grad-tensors]', 'data-tensors');
  await saveScreenshot('lab-gradients', { fullPage: false });
  // Pause, resume, stop on a long run.
  await page.fill('[data-testid=grad-steps]', '2000');
  await page.click('[data-testid=grad-train]');
  await page.waitForFunction(
    () =>
      Number(document.querySelector('[data-testid=grad-row-lstm]')?.getAttribute('data-steps')) > 2,
    null,
    { timeout: 20_000 },
  );
  await page.click('[data-testid=grad-pause]');
  await runState(page, 'grad', ['paused']);
  await page.waitForTimeout(400); // events already sent are flushed
  const paused = await num(page, '[data-testid=grad-row-lstm]', 'data-steps');
  await page.waitForTimeout(800);
  assert(
    (await num(page, '[data-testid=grad-row-lstm]', 'data-steps')) === paused,
    'training went on while paused',
  );
  await page.click('[data-testid=grad-resume]');
  await page.waitForFunction(
    (n) =>
      Number(document.querySelector('[data-testid=grad-row-lstm]')?.getAttribute('data-steps')) > n,
    paused,
    { timeout: 20_000 },
  );
  await page.click('[data-testid=grad-stop]');
  await runState(page, 'grad', ['stopped']);
  assert(
    (await num(page, '[data-testid=grad-tensors]', 'data-tensors')) === tensors,
    'a stopped run left tensors behind',
  );
  // The copy task: the same cells learn to repeat 5 symbols (cross-entropy per symbol).
  await page.selectOption('[data-testid=grad-task]', 'copy');
  await page.fill('[data-testid=grad-steps]', '8');
  await page.click('[data-testid=grad-train]');
  await runState(page, 'grad', ['done']);
  const copyLoss = Number(await page.textContent('[data-testid=grad-row-lstm] td:nth-child(3)'));
  assert(
    (await num(page, '[data-testid=grad-row-lstm]', 'data-steps')) === 8 &&
      copyLoss > 0 &&
      copyLoss < 5,
    `copy task run: loss ${copyLoss}`,
  );
});

test('lab §5: taggers train with falling loss; the backward direction lifts accuracy; state heatmaps', async ({
  page,
  context,
}) => {
  await openLab(page, '#bidirectional');
  await page.fill('[data-testid=bidi-steps]', '60');
  // Charts are drawn only once in view: those of the sections already mounted but far from the
  // viewport (the gate heatmaps above) wait, so they cost nothing while the taggers train.
  await page.waitForTimeout(1_000);
  const figures = await page.$$eval('.lab-figure', (els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const far = r.bottom < -0.5 * innerHeight || r.top > 1.5 * innerHeight;
      return { id: el.getAttribute('data-testid'), far, drawn: !!el.querySelector('svg') };
    }),
  );
  const farDrawn = figures.filter((f) => f.far && f.drawn).map((f) => f.id);
  const waiting = figures.filter((f) => f.far && !f.drawn).length;
  console.log(
    `    ${figures.length} lab figures mounted: ${figures.filter((f) => f.drawn).length} drawn, ${waiting} far from view and waiting`,
  );
  assert(farDrawn.length === 0, `charts far from view were drawn: ${farDrawn.join(', ')}`);
  assert(waiting > 0, 'no mounted chart was far from view: the check above tested nothing');
  await responsive(context, page, 'tagger training', async () => {
    await page.click('[data-testid=bidi-train]');
    await runState(page, 'bidi', ['done']);
  });
  const first = await num(page, '[data-testid=bidi-loss-values]', 'data-first');
  const last = await num(page, '[data-testid=bidi-loss-values]', 'data-last');
  assert(last < first, `tagger loss did not fall: ${first} → ${last}`);
  const uni = await num(page, '[data-testid=bidi-accuracy]', 'data-uni');
  const bi = await num(page, '[data-testid=bidi-accuracy]', 'data-bi');
  console.log(
    `    accuracy forward-only ${(uni * 100).toFixed(1)}%, bidirectional ${(bi * 100).toFixed(1)}%`,
  );
  assert(bi > uni, `bidirectional ${bi} should beat forward-only ${uni}`);
  for (const id of ['bidi-forward', 'bidi-backward', 'bidi-concat'])
    assert((await marks(page, id)) > 0, `${id} empty`);
  // Plot's per-chart stylesheets live once in the head, not in each redrawn chart (each inserted
  // stylesheet makes Chromium re-match its rules against the whole page).
  const sheets = await page.evaluate(() => ({
    inCharts: document.querySelectorAll('.lab-plot style').length,
    inHead: document.querySelectorAll('head style[data-plot-styles]').length,
  }));
  assert(
    sheets.inCharts === 0 && sheets.inHead >= 1 && sheets.inHead <= 3,
    `Plot stylesheets: ${sheets.inCharts} left in charts, ${sheets.inHead} in the head (expected 0 and 1–3)`,
  );
});

test('lab §6: CO2 forecast trains in the page; LSTM and seasonal-naive errors both shown', async ({
  page,
  context,
  saveScreenshot,
}) => {
  await openLab(page, '#forecast');
  await page.fill('[data-testid=fc-epochs]', '6');
  await responsive(context, page, 'forecaster training', async () => {
    await page.click('[data-testid=fc-train]');
    await runState(page, 'fc', ['done'], 120_000);
  });
  const first = await num(page, '[data-testid=fc-loss-values]', 'data-first');
  const last = await num(page, '[data-testid=fc-loss-values]', 'data-last');
  assert(last < first, `forecast loss did not fall: ${first} → ${last}`);
  const model = await num(page, '[data-testid=fc-errors]', 'data-mae-model');
  const naive = await num(page, '[data-testid=fc-errors]', 'data-mae-naive');
  const errors = await text(page, '[data-testid=fc-errors]');
  console.log(
    `    held-out MAE: LSTM ${model.toFixed(2)} ppm, seasonal naive ${naive.toFixed(2)} ppm`,
  );
  assert(
    Number.isFinite(model) && Number.isFinite(naive) && naive > 0,
    `errors: ${model}, ${naive}`,
  );
  assert(
    errors.includes(model.toFixed(2)) && errors.includes(naive.toFixed(2)),
    `both numbers shown: ${errors}`,
  );
  assert((await marks(page, 'fc-chart')) > 0, 'forecast chart empty');
  await saveScreenshot('lab-forecast', { fullPage: false });
});
