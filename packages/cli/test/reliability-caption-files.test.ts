// Reliability classes 5 and 6 through `seqlab caption`: a directory and images the model cannot read are reported with their paths and the reason; the good ones are still captioned.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePng } from '@seqlab/data/node';
import { initBackend } from '@seqlab/rnn';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeTinyModels } from './fixtures/tiny-models';
import { seqlab } from './run-cli';

let tmp = '';
let captionDir = '';

beforeAll(async () => {
  await initBackend('cpu');
  tmp = await mkdtemp(join(tmpdir(), 'seqlab-cli-caption-files-'));
  ({ captionDir } = await writeTinyModels(tmp));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const png = (w: number, h: number) =>
  encodePng({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(120) });

it('caption: a directory, a 1×1 image and a 10×1000 sliver are refused by path and reason, exit 1', async () => {
  const dir = join(tmp, 'a-folder');
  const dot = join(tmp, 'dot.png');
  const sliver = join(tmp, 'sliver.png');
  const good = join(tmp, 'good.png');
  await mkdir(dir);
  await writeFile(dot, png(1, 1));
  await writeFile(sliver, png(10, 1000));
  await writeFile(good, png(16, 16));
  const r = await seqlab(['caption', '--model', captionDir, dir, dot, sliver, good]);
  expect(r.code).toBe(1);
  expect(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]),
  ).toEqual([good]);
  expect(r.stderr).toContain(`seqlab caption: ${dir}: is a directory, not an image file`);
  expect(r.stderr).not.toContain('EISDIR');
  expect(r.stderr).toContain(
    `seqlab caption: ${dot}: caption: the image is 1×1 px, outside what the model can read`,
  );
  expect(r.stderr).toContain(
    `seqlab caption: ${sliver}: caption: the image is 10×1000 px, outside what the model can read (its aspect ratio is 100:1`,
  );
  expect(r.stderr).not.toMatch(/\n\s+at /);
}, 60_000);
