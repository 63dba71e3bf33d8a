// Property: any captions.tsv content either loads or fails with an Error that names captions.tsv and the line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@seqlab/data/node';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCaptionFolders } from '../src/captions/folders';

let dir = '';
let tsv = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'seqlab-captions-'));
  tsv = join(dir, 'captions.tsv');
  await writeFile(
    join(dir, 'good.png'),
    encodePng({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4).fill(128) }),
  );
  await writeFile(
    join(dir, 'small.png'),
    encodePng({ width: 8, height: 8, data: new Uint8ClampedArray(256).fill(9) }),
  );
  await writeFile(join(dir, 'text.png'), 'not an image');
  await writeFile(
    join(tmpdir(), 'outside.png'),
    encodePng({ width: 64, height: 64, data: new Uint8ClampedArray(64 * 64 * 4) }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fileName = fc.oneof(
  fc.constantFrom(
    'good.png',
    'small.png',
    'text.png',
    'missing.png',
    '',
    ' ',
    '.',
    '../outside.png',
    '/etc/hostname',
    'a/../good.png',
    'x\u0000.png',
  ),
  fc.string({ maxLength: 8 }),
);
const caption = fc.oneof(
  fc.constantFrom('a small red circle', '', '   ', 'ümlaut 📂', '\r'),
  fc.string({ maxLength: 12, unit: 'grapheme' }),
);
const line = fc.oneof(
  fc.tuple(fileName, caption).map(([f, c]) => `${f}\t${c}`),
  fc.tuple(fileName, caption, caption).map(([f, a, b]) => `${f}\t${a}\t${b}`),
  fc.string({ maxLength: 20 }),
  fc.constantFrom('', '\r', '\t', 'good.png'),
);
const content = fc.oneof(
  fc.array(line, { maxLength: 6 }).map((ls) => ls.join('\n')),
  fc.string({ maxLength: 60, unit: 'binary' }),
);

describe('loadCaptionFolders on arbitrary captions.tsv', () => {
  it('parses, or throws an Error naming captions.tsv:LINE (never a raw fs error or a crash)', async () => {
    await fc.assert(
      fc.asyncProperty(content, async (text) => {
        await writeFile(tsv, text);
        const lines = text.split('\n').length;
        try {
          const { items } = await loadCaptionFolders([dir]);
          expect(items.length).toBeGreaterThan(0);
          for (const it of items) {
            expect(it.rgba.length).toBe(64 * 64 * 4);
            for (const c of it.captions) expect(c.trim()).not.toBe('');
          }
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          const msg = (e as Error).message;
          if (msg === `${tsv}: no captions`) return;
          const m = new RegExp(`^${tsv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+): `).exec(msg);
          expect(m, msg).not.toBeNull();
          const n = Number(m?.[1]);
          expect(n).toBeGreaterThanOrEqual(1);
          expect(n).toBeLessThanOrEqual(lines);
        }
      }),
      { numRuns: 150, seed: 6 },
    );
  });

  it('examples: path escapes, wrong size, missing image and empty captions point at their line', async () => {
    const cases: [string, RegExp][] = [
      [
        'good.png\ta circle\n../outside.png\tescape',
        /captions\.tsv:2: image path "\.\.\/outside\.png" must be a file inside/,
      ],
      ['good.png\tok\n\nsmall.png\ttiny', /captions\.tsv:3: .*small\.png is 8×8, expected 64×64/],
      ['missing.png\tgone', /captions\.tsv:1: .*missing\.png: no such file/],
      ['text.png\tx', /captions\.tsv:1: .*text\.png: not a PNG or JPEG image/],
      ['good.png\t  ', /captions\.tsv:1: empty caption for good\.png/],
      ['\tno file', /captions\.tsv:1: image path "" must be a file inside/],
    ];
    for (const [text, error] of cases) {
      await writeFile(tsv, text);
      await expect(loadCaptionFolders([dir]), text).rejects.toThrow(error);
    }
    await writeFile(tsv, 'good.png\ta red circle\r\ngood.png\ta circle\n');
    const { items } = await loadCaptionFolders([dir]);
    expect(items.map((i) => i.captions)).toEqual([['a red circle', 'a circle']]);
  });
});
