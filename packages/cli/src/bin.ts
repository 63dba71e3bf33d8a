#!/usr/bin/env node
// The `seqlab` command: one sub-command per file in ./commands, registered in ./program.
import './relaxed-simd';
import { createProgram, reportError } from './program';

// A reader that stops early (`seqlab translate … | head -1`) closes stdout: that is the reader's
// choice, not a failure, so stop quietly with 0 instead of an EPIPE stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  process.stderr.write(`seqlab: stdout: ${err.message}\n`);
  process.exit(1);
});

createProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.exitCode = reportError(err);
  });
