// Checks shared by the specs: assertions with a message, trained models present, page-wide checks.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { web } from '../launch.mjs';

export function assert(cond: unknown, msg: string): asserts cond {
  if (!cond) throw new Error(msg);
}

/**
 * The trained models a test drives must have been copied into public/models by `pnpm run build`
 * (from the repository's models/): a missing one fails the test rather than skipping it.
 */
export function requireModels(...names: string[]) {
  const missing = names.filter((m) => !existsSync(join(web, 'public', 'models', m, 'model.json')));
  assert(
    missing.length === 0,
    `model ${missing.join(', ')} not in public/models: run \`pnpm run build\` in apps/web`,
  );
}

/** Text of the first match, or '' (Playwright's textContent gives null for no text). */
export const text = async (page: Page, selector: string) =>
  (await page.textContent(selector)) ?? '';

export async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert(overflow <= 1, `page scrolls horizontally by ${overflow}px`);
}

/** Waits until the page reports its worker's tfjs backend; returns that text. */
export async function backendReported(page: Page) {
  await page.waitForFunction(
    () =>
      /Backend: (wasm|webgl|webgpu|cpu)/.test(
        document.querySelector('[data-testid=backend]')?.textContent ?? '',
      ),
    null,
    { timeout: 20_000 },
  );
  return text(page, '[data-testid=backend]');
}

/** Every form control on the page has an accessible name. */
export async function controlsLabelled(page: Page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = el as HTMLInputElement;
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

/**
 * Waits until the output shows the translation of `source` (the page tags its output with its
 * source), or of any source when none is given.
 */
export async function waitTranslation(page: Page, source?: string) {
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
  return (await text(page, '[data-testid=translation]')).trim();
}

/**
 * Opens a demo page's "Use your own model" panel once the page's own first result is drawn. That
 * result (a translation with its heatmap, a caption) lands above the panel and moves it down; a
 * click in flight while it lands misses its target (a CI run's trace: Translate pressed as the
 * shipped model's translation rendered, and no request was ever sent).
 */
export async function openImportPanel(page: Page, path: '/translate' | '/caption') {
  await page.goto(path);
  if (path === '/translate') await waitTranslation(page);
  else
    await page.waitForSelector('[data-testid=caption], [data-testid=caption-error]', {
      timeout: 60_000,
    });
  // The frame that lays the result out has been drawn.
  await page.evaluate(
    () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))),
  );
  await page.getByTestId('import-panel').locator('summary').click();
}
