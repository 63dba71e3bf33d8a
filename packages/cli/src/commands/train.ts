// `seqlab train translate|caption --config FILE [--resume | --overwrite] [--max-steps N] [--minutes N]`.
import type { Command } from 'commander';
import { intFlag, numberFlag, UsageError } from '../args';
import { examples } from '../help';

/** Largest --max-steps: far beyond any run here, small enough that a typo (1e12) is refused. */
const MAX_STEPS = 100_000_000;
/** Largest --minutes: one week. */
const MAX_MINUTES = 7 * 24 * 60;

interface TrainOptions {
  config: string;
  resume?: boolean;
  overwrite?: boolean;
  maxSteps?: number;
  minutes?: number;
  lr?: number;
  engine: string;
  procs?: number;
  threads?: number;
}

type Run = (
  config: string,
  opts: {
    resume: boolean;
    overwrite: boolean;
    maxSteps?: number;
    minutes?: number;
    lr?: number;
    engine?: 'tfjs' | 'kernels';
    threads?: number;
  },
) => Promise<void>;

/** Tasks and their trainers, loaded lazily so `seqlab --help` stays fast. */
const TASKS: {
  name: string;
  description: string;
  example: string;
  /** Runnable command lines for --help. */
  examples: string[];
  load: () => Promise<Run>;
}[] = [
  {
    name: 'translate',
    description: 'train an English → X translation model on the gettext corpus',
    example: 'configs/translate-en-es.json',
    examples: [
      'pnpm seqlab train translate --config configs/translate-en-es.json --minutes 60',
      'pnpm seqlab train translate --config configs/translate-en-es.json --resume --engine kernels --threads 2',
    ],
    load: async () => (await import('@seqlab/train/node')).trainTranslate,
  },
  {
    name: 'caption',
    description: 'train an image captioner (Shapes world or emoji)',
    example: 'configs/caption-shapes.json',
    examples: [
      'pnpm seqlab train caption --config configs/caption-shapes.json --max-steps 2000',
      'pnpm seqlab train caption --config configs/caption-shapes.json --resume --lr 0.0003',
    ],
    load: async () => (await import('@seqlab/train/node')).trainCaption,
  },
];

export function register(program: Command): void {
  const train = program
    .command('train')
    .description('train a model from a JSON config (see configs/)');
  for (const task of TASKS) {
    const cmd = train
      .command(task.name)
      .description(task.description)
      .requiredOption('--config <file>', `training config JSON (e.g. ${task.example})`)
      .option('--resume', 'continue from the run directory checkpoint')
      .option(
        '--overwrite',
        'start again from step 0 although the run directory holds a checkpoint (it is replaced)',
      )
      .option(
        '--max-steps <n>',
        `stop after this many steps in total, 1..${MAX_STEPS} (overrides the config)`,
        intFlag('--max-steps', 1, MAX_STEPS),
      )
      .option(
        '--minutes <n>',
        `wall-clock budget (0 < N ≤ ${MAX_MINUTES}): stop training after N minutes, then evaluate and save`,
        numberFlag('--minutes', { min: 0, minExclusive: true, max: MAX_MINUTES }),
      )
      .option(
        '--lr <x>',
        'learning rate (0 < x ≤ 1) from now on, also after --resume (e.g. a lower one to anneal at the end)',
        numberFlag('--lr', { min: 0, minExclusive: true, max: 1 }),
      )
      .option(
        '--engine <name>',
        "tfjs; kernels: seqlab's multi-core WebAssembly step (translate); torch: PyTorch DDP under torchrun (translate)",
        'tfjs',
      )
      .option(
        '--threads <n>',
        "threads for --engine kernels, 1..64 (default: the machine's cores)",
        intFlag('--threads', 1, 64),
      )
      .option(
        '--procs <n>',
        'processes for --engine torch, 1..64 (default 1)',
        intFlag('--procs', 1, 64),
      );
    examples(cmd, task.examples);
    cmd.action(async (o: TrainOptions) => {
      if (o.resume && o.overwrite)
        throw new UsageError(
          '--resume and --overwrite exclude each other: --resume continues the checkpoint, --overwrite starts again from step 0',
        );
      const engines = task.name === 'translate' ? ['tfjs', 'kernels', 'torch'] : ['tfjs'];
      if (!engines.includes(o.engine))
        throw new UsageError(
          `--engine: expected ${engines.join(' or ')} for ${task.name}, got '${o.engine}'`,
        );
      if (o.procs !== undefined && o.engine !== 'torch')
        throw new UsageError('--procs applies to --engine torch only');
      if (o.threads !== undefined && o.engine !== 'kernels')
        throw new UsageError('--threads applies to --engine kernels only');
      if (o.engine === 'torch') {
        // Validate the config and guard the run dir here: the Python trainer reads the file as is.
        const { readConfig, TRANSLATE_CONFIG, checkRunDir, fromRepo } = await import(
          '@seqlab/train/node'
        );
        const cfg = readConfig(o.config, TRANSLATE_CONFIG);
        await checkRunDir(fromRepo(cfg.runDir), o, {
          out: fromRepo(cfg.out),
          extraCheckpoints: ['checkpoint.pt'],
        });
        const { trainTorch } = await import('@seqlab/train/node');
        return trainTorch(o.config, { ...o, procs: o.procs ?? 1, resume: o.resume ?? false });
      }
      const run = await task.load();
      await run(o.config, {
        resume: o.resume ?? false,
        overwrite: o.overwrite ?? false,
        ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
        ...(o.minutes !== undefined ? { minutes: o.minutes } : {}),
        ...(o.lr !== undefined ? { lr: o.lr } : {}),
        ...(o.engine === 'kernels' ? { engine: 'kernels' as const } : {}),
        ...(o.threads !== undefined ? { threads: o.threads } : {}),
      });
    });
  }
  const words = train
    .command('words')
    .description(
      "add the training sources' words (the 'unseen' copy class's list) to a translator trained before the trainer wrote them",
    )
    .requiredOption('--config <file>', 'the translate config the model was trained with')
    .option('--model <dir>', "the model folder (default: the config's out)");
  examples(words, [
    'pnpm seqlab train words --config configs/translate-en-es-h384.json',
    'pnpm seqlab train words --config configs/translate-en-fr-h384.json --model runs/translate-en-fr-h384/model',
  ]);
  words.action(async (o: { config: string; model?: string }) => {
    const { addSourceWords } = await import('@seqlab/train/node');
    const r = await addSourceWords(o.config, o.model);
    process.stdout.write(
      `${r.changed ? 'wrote' : 'unchanged:'} ${r.words} source words in ${r.file}\n`,
    );
  });
}
