// Browser end-to-end tests: builds are served by `next start` on loopback and driven in
// Debian Chromium through playwright-core. Screenshots go to test-artifacts/.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startServer, web } from './launch.mjs';
import { suites } from './suites.mjs';

const artifacts = join(web, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

const only = process.argv[2] ? new RegExp(process.argv[2]) : null;
const { base, stop } = await startServer();
let browser;
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  browser = await launchBrowser();
  for (const suite of suites) {
    if (only && !only.test(suite.id)) continue;
    // Suites that need a trained model wait for it: skipped (and said so) until models/NAME exists.
    const missing = (suite.requires ?? []).filter(
      (m) => !existsSync(join(web, 'public', 'models', m, 'model.json')),
    );
    if (missing.length > 0) {
      skipped++;
      console.log(`  - ${suite.name} (skipped: model ${missing.join(', ')} not built)`);
      continue;
    }
    const context = await browser.newContext({
      viewport: suite.viewport ?? { width: 1200, height: 900 },
    });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const started = Date.now();
    try {
      await suite.run({ page, base, artifacts, context });
      const allowed = suite.allowConsoleErrors ?? [];
      const unexpected = consoleErrors.filter((e) => !allowed.some((re) => re.test(e)));
      if (unexpected.length > 0) throw new Error(`console errors:\n${unexpected.join('\n')}`);
      passed++;
      console.log(`  ✓ ${suite.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(
        `  ✗ ${suite.name}\n    ${String(e?.stack ?? e)
          .split('\n')
          .join('\n    ')}`,
      );
      await page
        .screenshot({ path: join(artifacts, `FAILED-${suite.id}.png`), fullPage: true })
        .catch(() => {});
    } finally {
      await context.close();
    }
  }
} finally {
  await browser?.close();
  stop();
}
console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
