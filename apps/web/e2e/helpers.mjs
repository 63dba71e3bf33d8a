// Shared helpers of the end-to-end suites: assertions, generated PNGs, page checks.
import { deflateSync } from 'node:zlib';

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** CRC-32 for PNG chunks. */
export function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
export function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real RGB PNG: w×h, filled by fn(x, y) → [r, g, b]; `claim` overrides the header size (for the huge-image test). */
export function makePng(w, h, fn, claim) {
  const rows = [];
  for (let y = 0; y < h; y++) {
    const row = Buffer.alloc(1 + w * 3);
    for (let x = 0; x < w; x++) row.set(fn(x, y), 1 + x * 3);
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(claim?.width ?? w, 0);
  ihdr.writeUInt32BE(claim?.height ?? h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
export const gradientPng = () => makePng(300, 200, (x, y) => [x % 256, y % 256, 128]);

export async function noHorizontalScroll(page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  assert(overflow <= 1, `page scrolls horizontally by ${overflow}px`);
}

export async function backendReported(page) {
  await page.waitForFunction(
    () =>
      /Backend: (wasm|webgl|webgpu|cpu)/.test(
        document.querySelector('[data-testid=backend]')?.textContent ?? '',
      ),
    null,
    { timeout: 20_000 },
  );
  return page.textContent('[data-testid=backend]');
}

/** Every form control on the page has an accessible name. */
export async function controlsLabelled(page) {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => {
        const e = /** @type {HTMLInputElement} */ (el);
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

/** Waits until the output shows the translation of `source` (the page tags its output with its source). */
export async function waitTranslation(page, source) {
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
  return (await page.textContent('[data-testid=translation]')).trim();
}
