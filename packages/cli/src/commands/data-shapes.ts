// `seqlab data shapes`: renders a Shapes split to PNGs + captions.tsv.

import { SHAPES_SPLITS, type ShapesSplit } from '@seqlab/data';
import { writeShapesDataset } from '@seqlab/data/node';
import type { Command } from 'commander';
import { intFlag, UsageError } from '../args';
import { examples } from '../help';
import { progress, quietOption } from '../progress';

/** The shared `data` parent command (created by whichever data-* module registers first). */
export function dataCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'data') ??
    program.command('data').description('Build datasets (translation corpora, Shapes, emoji)')
  );
}

export function register(program: Command): void {
  const cmd = dataCommand(program)
    .command('shapes')
    .description('Render Shapes-world scenes (64×64 PNG) and captions.tsv')
    .requiredOption('--out <dir>', 'output directory')
    .option('--count <n>', 'number of images, 1..1000000', intFlag('--count', 1, 1_000_000), 1000)
    .option('--seed <s>', 'dataset seed, 0..4294967295', intFlag('--seed', 0, 0xffffffff), 1)
    .option('--split <split>', `one of ${SHAPES_SPLITS.join('|')}`, 'train');
  quietOption(cmd);
  examples(cmd, [
    'pnpm seqlab data shapes --out data-cache/shapes-test --count 1000 --seed 1 --split test',
  ]);
  cmd.action(
    async (opts: { out: string; count: number; seed: number; split: string; quiet?: boolean }) => {
      if (!(SHAPES_SPLITS as readonly string[]).includes(opts.split)) {
        throw new UsageError(
          `--split must be one of ${SHAPES_SPLITS.join(', ')}; got '${opts.split}'`,
        );
      }
      const t0 = Date.now();
      const bar = progress('shapes', { quiet: opts.quiet === true });
      const r = await writeShapesDataset({
        out: opts.out,
        count: opts.count,
        seed: opts.seed,
        split: opts.split as ShapesSplit,
        onProgress: (done, total) => bar.update(done, total),
      }).finally(() => bar.stop());
      process.stdout.write(
        `wrote ${r.images} images, ${r.captions} captions to ${opts.out} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
      );
    },
  );
}
