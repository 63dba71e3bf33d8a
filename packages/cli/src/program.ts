// The `seqlab` program: root flags, every sub-command, and how an error becomes an exit status.
import { Command, CommanderError } from 'commander';
import { USAGE_EXIT_CODE, UsageError } from './args';
import { registerCommands } from './commands';
import { examples } from './help';
import { cliVersion } from './version';

/** Exit status of a failure of the work itself (a missing file, a model that does not load). */
export const FAILURE_EXIT_CODE = 1;

/** The root command with all sub-commands registered (bin.ts parses argv with it). */
export function createProgram(): Command {
  const program = new Command();
  program
    .name('seqlab')
    .description(
      'Recurrent sequence models on TensorFlow.js: data, train, eval, translate, caption, bench',
    )
    .version(cliVersion(), '-V, --version', 'print the @seqlab/cli version')
    .showHelpAfterError()
    // Commander's errors (bad flag values, unknown options, missing arguments) come back as
    // exceptions, so that usage errors get exit status 2 and failures of the work itself 1.
    .exitOverride();
  registerCommands(program);
  examples(program, [
    'pnpm seqlab translate --model translate-en-es "Save the file as %s"',
    'pnpm seqlab caption --help',
  ]);
  return program;
}

/**
 * The exit status for an error out of parseAsync, after printing what the user needs to see.
 * Commander has printed its own messages (and the help) already; --help and --version exit 0.
 */
export function reportError(err: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
  const msg = err instanceof Error ? err.message : String(err);
  stderr.write(`seqlab: ${msg}\n`);
  return err instanceof UsageError ? USAGE_EXIT_CODE : FAILURE_EXIT_CODE;
}
