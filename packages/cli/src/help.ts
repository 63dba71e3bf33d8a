// Examples in every command's --help: runnable lines from the repository root, kept for the tests.
import type { Command } from 'commander';

const EXAMPLES = new WeakMap<Command, readonly string[]>();

/**
 * Append an "Examples:" block to `cmd`'s help. Each line is a shell command run from the
 * repository root (`pnpm seqlab …`); a test parses every one against the real command.
 */
export function examples(cmd: Command, lines: readonly string[]): Command {
  EXAMPLES.set(cmd, lines);
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** The example lines given to `cmd`, or an empty list. */
export function examplesOf(cmd: Command): readonly string[] {
  return EXAMPLES.get(cmd) ?? [];
}
