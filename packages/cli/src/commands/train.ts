// `seqlab train translate|caption --config FILE [--resume] [--max-steps N] [--minutes N]`.
import type { Command } from 'commander';

interface TrainOptions {
  config: string;
  resume?: boolean;
  maxSteps?: number;
  minutes?: number;
  lr?: number;
  engine: string;
  procs?: number;
}

type Run = (
  config: string,
  opts: { resume: boolean; maxSteps?: number; minutes?: number; lr?: number },
) => Promise<void>;

/** Tasks and their trainers, loaded lazily so `seqlab --help` stays fast. */
const TASKS: { name: string; description: string; example: string; load: () => Promise<Run> }[] = [
  {
    name: 'translate',
    description: 'train an English → X translation model on the gettext corpus',
    example: 'configs/translate-en-es.json',
    load: async () => (await import('@seqlab/train/node')).trainTranslate,
  },
  {
    name: 'caption',
    description: 'train an image captioner (Shapes world or emoji)',
    example: 'configs/caption-shapes.json',
    load: async () => (await import('@seqlab/train/node')).trainCaption,
  },
];

export function register(program: Command): void {
  const train = program
    .command('train')
    .description('train a model from a JSON config (see configs/)');
  for (const task of TASKS) {
    train
      .command(task.name)
      .description(task.description)
      .requiredOption('--config <file>', `training config JSON (e.g. ${task.example})`)
      .option('--resume', 'continue from the run directory checkpoint')
      .option(
        '--max-steps <n>',
        'stop after this many steps in total (overrides the config)',
        (v) => Number.parseInt(v, 10),
      )
      .option(
        '--minutes <n>',
        'wall-clock budget: stop training after N minutes, then evaluate and save',
        Number.parseFloat,
      )
      .option(
        '--lr <x>',
        'learning rate from now on, also after --resume (e.g. a lower one to anneal at the end)',
        Number.parseFloat,
      )
      .option('--engine <name>', 'tfjs, or torch: PyTorch DDP under torchrun (translate)', 'tfjs')
      .option('--procs <n>', 'processes for --engine torch (default 1)', (v) => Number(v))
      .action(async (o: TrainOptions) => {
        if (o.lr !== undefined && !(o.lr > 0 && Number.isFinite(o.lr)))
          throw new Error(`--lr expects a positive number; got ${o.lr}`);
        if (o.engine === 'torch' && task.name === 'translate') {
          const { trainTorch } = await import('../train/torch-engine');
          return trainTorch(o.config, { ...o, procs: o.procs ?? 1, resume: o.resume ?? false });
        }
        if (o.engine !== 'tfjs')
          throw new Error(
            `--engine: expected tfjs${task.name === 'translate' ? ' or torch' : ''} for ${task.name}, got '${o.engine}'`,
          );
        const run = await task.load();
        await run(o.config, {
          resume: o.resume ?? false,
          ...(o.maxSteps ? { maxSteps: o.maxSteps } : {}),
          ...(o.minutes ? { minutes: o.minutes } : {}),
          ...(o.lr ? { lr: o.lr } : {}),
        });
      });
  }
}
