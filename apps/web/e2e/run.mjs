// Browser end-to-end tests: builds are served by `next start` on loopback and driven in
// Debian Chromium through playwright-core. Screenshots go to test-artifacts/.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { suites } from './suites.mjs';

const web = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(web, 'test-artifacts');
mkdirSync(artifacts, { recursive: true });

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const server = spawn(join(web, 'node_modules', '.bin', 'next'), ['start', '-H', '127.0.0.1', '-p', String(port)], {
  cwd: web,
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let serverLog = '';
server.stdout.on('data', (d) => (serverLog += d));
server.stderr.on('data', (d) => (serverLog += d));

async function waitUp(deadline) {
  while (Date.now() < deadline) {
    try {
      const r = await fetch(base);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer on ${base} within the deadline.\n${serverLog}`);
}

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let browser;
let passed = 0;
let failed = 0;
try {
  await waitUp(Date.now() + 60_000);
  browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // playwright gives every launch a fresh temporary profile (user-data-dir).
    ],
  });
  for (const suite of suites) {
    const context = await browser.newContext({ viewport: suite.viewport ?? { width: 1200, height: 900 } });
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    const started = Date.now();
    try {
      await suite.run({ page, base, artifacts });
      const allowed = suite.allowConsoleErrors ?? [];
      const unexpected = consoleErrors.filter((e) => !allowed.some((re) => re.test(e)));
      if (unexpected.length > 0) throw new Error(`console errors:\n${unexpected.join('\n')}`);
      passed++;
      console.log(`  ✓ ${suite.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`  ✗ ${suite.name}\n    ${String(e?.stack ?? e).split('\n').join('\n    ')}`);
      await page.screenshot({ path: join(artifacts, `FAILED-${suite.id}.png`), fullPage: true }).catch(() => {});
    } finally {
      await context.close();
    }
  }
} finally {
  await browser?.close();
  server.kill('SIGTERM');
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
