// `seqlab data shapes`: renders a Shapes split to PNGs + captions.tsv.

import { SHAPES_SPLITS, type ShapesSplit } from '@seqlab/data';
import { writeShapesDataset } from '@seqlab/data/node';
import type { Command } from 'commander';

/** The shared `data` parent command (created by whichever data-* module registers first). */
export function dataCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'data') ??
    program.command('data').description('Build datasets (translation corpora, Shapes, emoji)')
  );
}

function intArg(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} expects a non-negative integer; got '${v}'`);
  return n;
}

export function register(program: Command): void {
  dataCommand(program)
    .command('shapes')
    .description('Render Shapes-world scenes (64×64 PNG) and captions.tsv')
    .requiredOption('--out <dir>', 'output directory')
    .option('--count <n>', 'number of images', '1000')
    .option('--seed <s>', 'dataset seed (uint32)', '1')
    .option('--split <split>', `one of ${SHAPES_SPLITS.join('|')}`, 'train')
    .action(async (opts: { out: string; count: string; seed: string; split: string }) => {
      if (!(SHAPES_SPLITS as readonly string[]).includes(opts.split)) {
        throw new Error(`--split must be one of ${SHAPES_SPLITS.join(', ')}; got '${opts.split}'`);
      }
      const t0 = Date.now();
      const r = await writeShapesDataset({
        out: opts.out,
        count: intArg('count', opts.count),
        seed: intArg('seed', opts.seed),
        split: opts.split as ShapesSplit,
      });
      process.stdout.write(
        `wrote ${r.images} images, ${r.captions} captions to ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    });
}
