#!/usr/bin/env node
// The `seqlab` command: one sub-command per file in ./commands, registered here.
import { Command, CommanderError } from 'commander';
import { USAGE_EXIT_CODE, UsageError } from './args';
import { registerCommands } from './commands';

const program = new Command();
program
  .name('seqlab')
  .description(
    'Recurrent sequence models on TensorFlow.js: data, train, eval, translate, caption, bench',
  )
  .showHelpAfterError()
  // Commander's errors (bad flag values, unknown options, missing arguments) come back here as
  // exceptions, so that usage errors get exit status 2 and failures of the work itself 1.
  .exitOverride();
registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Commander has printed the message (and the help) already; --help and --version exit 0.
    process.exitCode = err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
    return;
  }
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`seqlab: ${msg}\n`);
  process.exitCode = err instanceof UsageError ? USAGE_EXIT_CODE : 1;
});
