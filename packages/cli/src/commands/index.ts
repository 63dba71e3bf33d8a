// Registry of sub-commands; each module adds its commands to the program.
import type { Command } from 'commander';
import { register as bench } from './bench';
import { register as benchDecode } from './bench-decode';
import { register as caption } from './caption';
import { register as dataEmoji } from './data-emoji';
import { register as dataGettext } from './data-gettext';
import { register as dataShapes } from './data-shapes';
import { register as evaluate } from './eval';
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

export function registerCommands(program: Command): void {
  for (const r of registrars) r(program);
}
