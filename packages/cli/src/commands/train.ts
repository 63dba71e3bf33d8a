// `seqlab train translate|caption --config FILE [--resume]`.
import type { Command } from 'commander';

export function register(program: Command): void {
  const train = program
    .command('train')
    .description('train a model from a JSON config (see configs/)');
  train
    .command('translate')
    .description('train an English → X translation model on the gettext corpus')
    .requiredOption('--config <file>', 'training config JSON (e.g. configs/translate-en-es.json)')
    .option('--resume', 'continue from the run directory checkpoint')
    .option('--max-steps <n>', 'stop after this many steps in total (overrides the config)', (v) =>
      Number.parseInt(v, 10),
    )
    .option(
      '--minutes <n>',
      'wall-clock budget: stop training after N minutes, then evaluate and save',
      Number.parseFloat,
    )
    .action(
      async (o: { config: string; resume?: boolean; maxSteps?: number; minutes?: number }) => {
        const { trainTranslate } = await import('../train/translate');
        await trainTranslate(o.config, {
          resume: o.resume ?? false,
          ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
          ...(o.minutes ? { minutes: o.minutes } : {}),
        });
      },
    );
  train
    .command('caption')
    .description('train an image captioner (Shapes world or emoji)')
    .requiredOption('--config <file>', 'training config JSON (e.g. configs/caption-shapes.json)')
    .option('--resume', 'continue from the run directory checkpoint')
    .option('--max-steps <n>', 'stop after this many steps in total (overrides the config)', (v) =>
      Number.parseInt(v, 10),
    )
    .option(
      '--minutes <n>',
      'wall-clock budget: stop training after N minutes, then evaluate and save',
      Number.parseFloat,
    )
    .action(
      async (o: { config: string; resume?: boolean; maxSteps?: number; minutes?: number }) => {
        const { trainCaption } = await import('../train/caption');
        await trainCaption(o.config, {
          resume: o.resume ?? false,
          ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
          ...(o.minutes ? { minutes: o.minutes } : {}),
        });
      },
    );
}
