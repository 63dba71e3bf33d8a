// `seqlab caption --model NAME|DIR [--beam N] [--closed] IMAGE…`: prints file<TAB>caption per image.
import type { Command } from 'commander';
import { beamFlag, MAX_BEAM } from '../args';

export function register(program: Command): void {
  program
    .command('caption')
    .description('caption PNG/JPEG images with a trained model')
    .requiredOption('--model <name|dir>', 'caption-shapes | caption-emoji, or a model directory')
    .option('--beam <n>', `beam width, 1..${MAX_BEAM} (1 = greedy)`, beamFlag, 1)
    .option(
      '--closed',
      'only captions seen in training (models with a captions.json, e.g. caption-emoji)',
    )
    .argument('<images...>', 'image files')
    .action(async (images: string[], o: { model: string; beam: number; closed?: boolean }) => {
      const { initBackend } = await import('@seqlab/rnn');
      const { load } = await import('@seqlab/models/node');
      const { decodeImageFile } = await import('@seqlab/data/node');
      await initBackend();
      const m = await load(o.model);
      let failed = 0;
      try {
        if (m.task !== 'caption')
          throw new Error(`--model ${o.model} is a ${m.task} model; expected a caption model`);
        for (const file of images) {
          try {
            const img = await decodeImageFile(file);
            // The pipeline knows no file name: a refused image (too small, too narrow) gets it here.
            const r = await m
              .caption(img, { beam: o.beam, closed: o.closed === true })
              .catch((e: Error) => {
                throw new Error(`${file}: ${e.message}`);
              });
            process.stdout.write(`${file}\t${r.text}\n`);
          } catch (e) {
            // One bad file must not stop the others: report it and carry on.
            failed++;
            process.stderr.write(`seqlab caption: ${(e as Error).message}\n`);
          }
        }
      } finally {
        m.dispose();
      }
      if (failed > 0) process.exitCode = 1;
    });
}
