// `seqlab caption --model NAME|DIR [--beam N] [--closed] [--json [--n-best N] [--attention]] IMAGE…`:
// file<TAB>caption per image, or one JSON object per image.
import type { Command } from 'commander';
import { beamFlag, MAX_BEAM, UsageError } from '../args';
import { examples } from '../help';
import { loadingBar, quietOption } from '../progress';
import {
  captionJson,
  checkResultFlags,
  decodeOptions,
  errorJson,
  nBestFlag,
  type ResultFlags,
} from '../results';

interface CaptionOptions extends ResultFlags {
  model: string;
  closed?: boolean;
  quiet?: boolean;
}

export function register(program: Command): void {
  const cmd = program
    .command('caption')
    .description('caption PNG/JPEG images with a trained model')
    .requiredOption('--model <name|dir>', 'caption-shapes | caption-emoji, or a model directory')
    .option('--beam <n>', `beam width, 1..${MAX_BEAM} (1 = greedy)`, beamFlag, 1)
    .option(
      '--closed',
      'only captions seen in training (models with a captions.json, e.g. caption-emoji)',
    )
    .option('--json', 'one JSON object per image (JSON Lines): file, text, score, n_best')
    .option(
      '--n-best <n>',
      'with --json: hypotheses in n_best, 1..--beam (default --beam)',
      nBestFlag,
    )
    .option('--attention', 'with --json: the words and their attention over the CNN feature grid')
    .argument('<images...>', 'image files');
  quietOption(cmd);
  cmd.addHelpText(
    'after',
    '\nA file that cannot be read or captioned is reported on stderr (with --json also as\n' +
      '{"file", "error"} in its place); the other images are captioned; exit status 1.',
  );
  examples(cmd, [
    'pnpm seqlab data shapes --out data-cache/shapes-demo --count 2 --split test',
    'pnpm seqlab caption --model caption-shapes data-cache/shapes-demo/*.png',
    'pnpm seqlab caption --model caption-shapes --beam 3 --json --n-best 3 --attention data-cache/shapes-demo/*.png',
  ]);
  cmd.action(async (images: string[], o: CaptionOptions) => {
    checkResultFlags(o);
    const { initBackend } = await import('@seqlab/rnn');
    const { load } = await import('@seqlab/models/node');
    const { decodeImageFile } = await import('@seqlab/data/node');
    await initBackend();
    const bar = loadingBar(o.model, o.quiet);
    const m = await load(o.model, { onProgress: bar.onProgress }).finally(() => bar.stop());
    const decode = { ...decodeOptions(o), closed: o.closed === true };
    let failed = 0;
    try {
      if (m.task !== 'caption')
        throw new UsageError(
          `--model ${o.model} is a ${m.task} model; expected a caption model (caption-shapes, caption-emoji or a folder of one)`,
        );
      for (const file of images) {
        try {
          const img = await decodeImageFile(file);
          // The pipeline knows no file name: a refused image (too small, too narrow) gets it here.
          const r = await m.caption(img, decode).catch((e: Error) => {
            throw new Error(`${file}: ${e.message}`);
          });
          process.stdout.write(
            o.json
              ? `${JSON.stringify(captionJson(file, r, o.attention === true))}\n`
              : `${file}\t${r.text}\n`,
          );
        } catch (e) {
          // One bad file must not stop the others: report it and carry on.
          failed++;
          const msg = (e as Error).message;
          process.stderr.write(`seqlab caption: ${msg}\n`);
          if (o.json) process.stdout.write(`${JSON.stringify(errorJson('file', file, msg))}\n`);
        }
      }
    } finally {
      m.dispose();
    }
    if (failed > 0) process.exitCode = 1;
  });
}
