// Registry of sub-commands; each module adds its commands to the program.
import type { Command } from 'commander';
import { examples } from '../help';
import { register as bench } from './bench';
import { register as benchDecode } from './bench-decode';
import { register as caption } from './caption';
import { register as dataEmoji } from './data-emoji';
import { register as dataGettext } from './data-gettext';
import { register as dataShapes } from './data-shapes';
import { register as evaluate } from './eval';
import { register as sweep } from './sweep';
import { register as train } from './train';
import { register as translate } from './translate';

type Register = (program: Command) => void;

/** Modules add themselves here: `import { register as x } from './x'` and push it. */
const registrars: Register[] = [];
registrars.push(dataShapes);
registrars.push(dataEmoji);
registrars.push(dataGettext);
registrars.push(bench);
registrars.push(benchDecode);
registrars.push(train);
registrars.push(translate);
registrars.push(caption);
registrars.push(evaluate);
registrars.push(sweep);

/** Examples for the commands that group others (each runs one of its sub-commands). */
const GROUP_EXAMPLES: Record<string, string[]> = {
  data: ['pnpm seqlab data shapes --out data-cache/shapes-test --count 1000 --seed 1 --split test'],
  train: ['pnpm seqlab train caption --config configs/caption-shapes.json --max-steps 2000'],
  eval: [
    'pnpm seqlab eval translate --model translate-en-es --test data-cache/gettext/en-es/test.tsv --limit 200',
  ],
  bench: ['pnpm seqlab bench decode --json'],
  sweep: [
    'pnpm seqlab sweep translate --config configs/translate-en-es.json --grid configs/sweeps/capacity.json --out runs/sweep-en-es --minutes 30 --threads 2',
  ],
};

export function registerCommands(program: Command): void {
  for (const r of registrars) r(program);
  for (const group of program.commands) {
    const lines = GROUP_EXAMPLES[group.name()];
    if (lines) examples(group, lines);
  }
}
