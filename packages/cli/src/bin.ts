#!/usr/bin/env node
// The `seqlab` command: one sub-command per file in ./commands, registered here.
import { Command } from 'commander';
import { registerCommands } from './commands';

const program = new Command();
program
  .name('seqlab')
  .description(
    'Recurrent sequence models on TensorFlow.js: data, train, eval, translate, caption, bench',
  )
  .showHelpAfterError();
registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`seqlab: ${msg}\n`);
  process.exitCode = 1;
});
