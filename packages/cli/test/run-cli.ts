// Runs the `seqlab` binary the way `pnpm seqlab` does (node --import tsx src/bin.ts) for end-to-end tests.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const cli = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The argv that runs `seqlab ARGS` with this Node (for spawn, or for a shell line). */
export function seqlabArgv(args: string[]): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', join(cli, 'src', 'bin.ts'), ...args]];
}

/** Start `seqlab ARGS` with piped stdin/stdout/stderr, for tests that talk to it while it runs. */
export function spawnSeqlab(args: string[]): ChildProcessWithoutNullStreams {
  const [cmd, argv] = seqlabArgv(args);
  return spawn(cmd, argv, { cwd: cli, env: { ...process.env, NO_COLOR: '1' } });
}

/** Run `seqlab ARGS` with optional stdin (text or raw bytes); resolves with the exit code and both streams. */
export function seqlab(args: string[], input?: string | Uint8Array): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawnSeqlab(args);
    const r: Result = { code: null, stdout: '', stderr: '' };
    child.stdout.on('data', (d: Buffer) => {
      r.stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      r.stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ ...r, code }));
    child.stdin.end(input ?? '');
  });
}
