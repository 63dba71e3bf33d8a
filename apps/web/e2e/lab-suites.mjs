// End-to-end scenarios of the RNN lab (/lab), one per section, plus responsiveness and isolation
// checks. Training runs are kept to seconds: real training, short.
import { join } from 'node:path';
import { assert } from './helpers.mjs';
import { marks, num, openLab, responsive, runState } from './lab-helpers.mjs';

export const labSuites = [
  {
    id: 'lab-types',
    name: 'lab §1: language ID updates per character from the shipped model; word classifier, captioner and translator answer',
    requires: ['langid', 'caption-shapes', 'translate-en-es'],
    async run({ page, base, artifacts }) {
      const workers = [];
      page.on('worker', (w) => workers.push(w.url().replace(base, '')));
      await openLab(page, base);
      assert(
        workers.includes('/workers/lab/lab.js'),
        `lab worker not started: ${JSON.stringify(workers)}`,
      );
      // Nothing else starts until asked (captioner and translator load on their buttons).
      assert(workers.length === 1, `workers started on load: ${JSON.stringify(workers)}`);
      for (const [text, lang] of [
        ['¿Desea guardar los cambios en el documento?', 'es'],
        ['Möchten Sie die Änderungen speichern?', 'de'],
        ['Do you want to save the changes?', 'en'],
      ]) {
        await page.fill('[data-testid=langid-input]', text);
        await page.waitForFunction(
          ([l, n]) => {
            const el = document.querySelector('[data-testid=langid-answer]');
            return (
              el?.getAttribute('data-language') === l && el.getAttribute('data-steps') === String(n)
            );
          },
          [lang, [...text].length],
          { timeout: 30_000 },
        );
      }
      assert((await marks(page, 'langid-chart')) > 0, 'per-character chart is empty');
      // Three identifications later the worker holds exactly as many tensors (the model's own).
      const held = await num(page, '[data-testid=langid-answer]', 'data-tensors');
      for (const text of ['Abrir', 'Ouvrir le fichier', 'Open the file']) {
        await page.fill('[data-testid=langid-input]', text);
        await page.waitForFunction(
          (n) =>
            document.querySelector('[data-testid=langid-answer]')?.getAttribute('data-steps') ===
            String(n),
          [...text].length,
          { timeout: 30_000 },
        );
        const now = await num(page, '[data-testid=langid-answer]', 'data-tensors');
        assert(now === held, `worker tensors ${held} → ${now} after identifying '${text}'`);
      }
      const card = await page.textContent('[data-testid=langid-card]');
      assert(/accuracy \d+\.\d%/.test(card), `model card numbers missing: ${card}`);
      await page.fill('[data-testid=ff-word]', 'Datei');
      await page.waitForSelector('[data-testid=ff-answer][data-language]', { timeout: 10_000 });
      // One-to-many and many-to-many run the shipped captioner and translator in their own workers.
      await page.click('[data-testid=caption-run]');
      await page.waitForFunction(
        () => document.querySelectorAll('[data-testid=caption-words] li').length >= 2,
        null,
        {
          timeout: 60_000,
        },
      );
      await page.click('[data-testid=mt-run]');
      await page.waitForSelector('[data-testid=mt-tokens]', { timeout: 60_000 });
      const mt = await page.textContent('[data-testid=mt-tokens]');
      assert(/\d+ tokens in: .*Open.* → \d+ tokens out: \S/.test(mt), `translation tokens: ${mt}`);
      await page.screenshot({ path: join(artifacts, 'lab-types.png'), fullPage: false });
    },
  },
  {
    id: 'lab-bptt',
    name: 'lab §2: BPTT view shows states, per-step loss and gradients; each update lowers the loss',
    async run({ page, base }) {
      await openLab(page, base, '#bptt');
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
        ls.map((l) => [
          Number(l.getAttribute('data-before')),
          Number(l.getAttribute('data-after')),
        ]),
      );
      for (const [b, a] of rows) assert(a < b, `an update raised the loss: ${b} → ${a}`);
      assert(rows[2][1] < rows[0][0], `loss did not fall over 3 updates: ${JSON.stringify(rows)}`);
    },
  },
  {
    id: 'lab-gradients',
    name: 'lab §3: exploding SimpleRNN — clipping caps the applied norm; pause/resume/stop; no tensor leak; UI never blocks > 50 ms',
    async run({ page, base, artifacts, context }) {
      await openLab(page, base, '#gradients');
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
      await page.screenshot({ path: join(artifacts, 'lab-gradients.png'), fullPage: false });
      // Pause, resume, stop on a long run.
      await page.fill('[data-testid=grad-steps]', '2000');
      await page.click('[data-testid=grad-train]');
      await page.waitForFunction(
        () =>
          Number(
            document.querySelector('[data-testid=grad-row-lstm]')?.getAttribute('data-steps'),
          ) > 2,
        null,
        {
          timeout: 20_000,
        },
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
          Number(
            document.querySelector('[data-testid=grad-row-lstm]')?.getAttribute('data-steps'),
          ) > n,
        paused,
        {
          timeout: 20_000,
        },
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
      const copyLoss = Number(
        await page.textContent('[data-testid=grad-row-lstm] td:nth-child(3)'),
      );
      assert(
        (await num(page, '[data-testid=grad-row-lstm]', 'data-steps')) === 8 &&
          copyLoss > 0 &&
          copyLoss < 5,
        `copy task run: loss ${copyLoss}`,
      );
    },
  },
  {
    id: 'lab-gates',
    name: 'lab §4: gate heatmaps from the shipped translator encoder and the language-ID model',
    requires: ['langid', 'translate-en-es'],
    async run({ page, base, artifacts }) {
      await openLab(page, base, '#gates');
      await page.fill('[data-testid=gates-input]', 'Open the file');
      await page.waitForSelector('[data-testid=gates-explain]', { timeout: 60_000 });
      const tokens = await num(page, '[data-testid=gates-explain]', 'data-tokens');
      const units = await num(page, '[data-testid=gates-explain]', 'data-units');
      await marks(page, 'gates-forget');
      const cells = await page.$$eval(
        '[data-testid=gates-forget] svg g[aria-label=cell] rect',
        (r) => r.length,
      );
      assert(tokens >= 3 && units >= 16, `translator encoder: ${tokens} tokens × ${units} units`);
      assert(
        cells === tokens * units,
        `forget heatmap has ${cells} cells, expected ${tokens} × ${units}`,
      );
      const text = await page.textContent('[data-testid=gates-explain]');
      const [, lo, hi] = /forget gate runs from (-?[\d.]+) to (-?[\d.]+)/.exec(text) ?? [];
      assert(
        Number(lo) >= 0 && Number(hi) <= 1 && Number(hi) > Number(lo),
        `forget gate range ${lo}..${hi}`,
      );
      await page.screenshot({ path: join(artifacts, 'lab-gates.png'), fullPage: false });
      await page.selectOption('[data-testid=gates-source]', 'langid');
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid=gates-explain]')?.getAttribute('data-units') ===
          '48',
        null,
        {
          timeout: 30_000,
        },
      );
      await page.fill('[data-testid=gates-unit]', '5');
      assert((await marks(page, 'gates-follow')) > 0, 'unit follow chart empty');
    },
  },
  {
    id: 'lab-bidirectional',
    name: 'lab §5: taggers train with falling loss; the backward direction lifts accuracy; state heatmaps',
    async run({ page, base, context }) {
      await openLab(page, base, '#bidirectional');
      await page.fill('[data-testid=bidi-steps]', '60');
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
    },
  },
  {
    id: 'lab-forecast',
    name: 'lab §6: CO2 forecast trains in the page; LSTM and seasonal-naive errors both shown',
    async run({ page, base, artifacts, context }) {
      await openLab(page, base, '#forecast');
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
      const text = await page.textContent('[data-testid=fc-errors]');
      console.log(
        `    held-out MAE: LSTM ${model.toFixed(2)} ppm, seasonal naive ${naive.toFixed(2)} ppm`,
      );
      assert(
        Number.isFinite(model) && Number.isFinite(naive) && naive > 0,
        `errors: ${model}, ${naive}`,
      );
      assert(
        text.includes(model.toFixed(2)) && text.includes(naive.toFixed(2)),
        `both numbers shown: ${text}`,
      );
      assert((await marks(page, 'fc-chart')) > 0, 'forecast chart empty');
      await page.screenshot({ path: join(artifacts, 'lab-forecast.png'), fullPage: false });
    },
  },
  {
    id: 'lab-isolation',
    name: "lab: the lab's JavaScript loads only on /lab; the home page links it",
    async run({ page, base }) {
      const bodies = [];
      page.on('response', async (r) => {
        if (r.url().endsWith('.js')) bodies.push(await r.text().catch(() => ''));
      });
      const workers = [];
      page.on('worker', (w) => workers.push(w.url()));
      await page.goto(`${base}/`);
      assert(await page.$('main a[href="/lab"]'), 'home page does not link /lab');
      await page.goto(`${base}/translate`);
      await page.waitForSelector('[data-testid=model-ready], [data-testid=model-error]', {
        timeout: 60_000,
      });
      const leaked = bodies.filter(
        (b) => b.includes('/workers/lab/lab.js') || b.includes('ariaDescription'),
      );
      assert(leaked.length === 0, `${leaked.length} script(s) with lab code loaded outside /lab`);
      assert(!workers.some((w) => w.includes('/workers/lab/')), 'lab worker started outside /lab');
    },
  },
  {
    id: 'lab-narrow',
    name: 'lab at 360 px: every section mounts as it is scrolled to, no horizontal scroll, every control labelled',
    viewport: { width: 360, height: 740 },
    requires: ['langid', 'translate-en-es'],
    async run({ page, base, artifacts }) {
      await openLab(page, base);
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
        [...document.querySelectorAll('main input, main select, main button')]
          .filter(
            (e) => !(e.labels?.length || e.getAttribute('aria-label') || e.textContent?.trim()),
          )
          .map((e) => e.outerHTML.slice(0, 80)),
      );
      assert(unlabelled.length === 0, `unlabelled controls: ${unlabelled.join(' | ')}`);
      await page.screenshot({ path: join(artifacts, 'lab-360.png'), fullPage: false });
    },
  },
];
