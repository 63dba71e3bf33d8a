// Registry of sub-commands; each module adds its commands to the program.
import type { Command } from 'commander';

type Register = (program: Command) => void;

/** Modules add themselves here: `import { register as x } from './x'` and push it. */
const registrars: Register[] = [];

export function registerCommands(program: Command): void {
  for (const r of registrars) r(program);
}
