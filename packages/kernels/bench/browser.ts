// The kernel training step in headless Chromium: bundles browser-entry.ts (esbuild), serves it
// cross-origin isolated (COOP/COEP) on 127.0.0.1, drives /usr/bin/chromium with playwright-core,
// prints the page's result as one JSON line.
//   tsx packages/kernels/bench/browser.ts '{"threads":2,"steps":10,"warmup":2,"budgetS":20}'
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../tooling/chromium.mjs';

export async function browserBench(o: {
  threads: number;
  steps: number;
  warmup: number;
  budgetS: number;
  /** Serve with COOP/COEP (default); false checks the single-threaded fallback. */
  isolated?: boolean;
}) {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./browser-entry.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
  });
  const js = out.outputFiles[0]?.text ?? '';
  const html =
    '<!doctype html><meta charset="utf-8"><title>seqlab kernels</title><script src="/bench.js"></script>';
  const server = createServer((req, res) => {
    const isJs = (req.url ?? '').startsWith('/bench.js');
    const isolation =
      o.isolated === false
        ? {}
        : {
            'cross-origin-opener-policy': 'same-origin',
            'cross-origin-embedder-policy': 'require-corp',
          };
    res.writeHead(200, { 'content-type': isJs ? 'text/javascript' : 'text/html', ...isolation });
    res.end(isJs ? js : html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const profile = mkdtempSync(join(tmpdir(), 'seqlab-chromium-'));
  // A fresh profile (playwright's persistent context is how it takes --user-data-dir).
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const q = new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)]));
    await page.goto(`http://127.0.0.1:${port}/?${q}`);
    await page.waitForFunction(
      () => (window as { __bench?: unknown }).__bench !== undefined,
      null,
      {
        timeout: (o.budgetS * 3 + 120) * 1000,
      },
    );
    return await page.evaluate(() => (window as { __bench?: unknown }).__bench);
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = JSON.parse(process.argv[2] ?? '{}') as Partial<Parameters<typeof browserBench>[0]>;
  const r = await browserBench({
    threads: arg.threads ?? 2,
    steps: arg.steps ?? 10,
    warmup: arg.warmup ?? 2,
    budgetS: arg.budgetS ?? 20,
    isolated: arg.isolated ?? true,
  });
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
