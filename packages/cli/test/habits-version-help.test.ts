// Issue 22: `seqlab --version` prints @seqlab/cli's package.json version; every command's --help
// ends with examples, and every example parses against the real command (flags, values, arguments).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../src/commands';
import { examplesOf } from '../src/help';
import { createProgram } from '../src/program';
import { cliVersion } from '../src/version';
import { exampleArgv, shellWords } from './examples';
import { cli, seqlab } from './run-cli';

const pkg = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};

describe('seqlab --version', () => {
  it('prints the version in packages/cli/package.json and exits 0 (--version and -V)', async () => {
    expect(pkg.name).toBe('@seqlab/cli');
    expect(cliVersion()).toBe(pkg.version);
    for (const flag of ['--version', '-V']) {
      const r = await seqlab([flag]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${pkg.version}\n`);
      expect(r.stderr).toBe('');
    }
  }, 60_000);

  it('--help on the root names the --version flag', () => {
    expect(createProgram().helpInformation()).toMatch(
      /-V, --version\s+print the @seqlab\/cli version/,
    );
  });
});

/** Every leaf command, by its path ('data shapes'), with actions that only record the parsed options. */
function program(): {
  root: Command;
  leaves: Map<string, Command>;
  groups: Map<string, Command>;
  ran: string[];
} {
  const root = new Command().name('seqlab').exitOverride();
  root.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerCommands(root);
  const leaves = new Map<string, Command>();
  const groups = new Map<string, Command>();
  const ran: string[] = [];
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`;
      sub.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
      if (sub.commands.length > 0) {
        groups.set(name, sub);
        walk(sub, `${name} `);
      } else {
        sub.action(() => {
          ran.push(name);
        });
        leaves.set(name, sub);
      }
    }
  };
  walk(root, '');
  return { root, leaves, groups, ran };
}

/** The leaf command an example line runs (its actions replaced), or an error naming the line. */
async function runs(line: string, owner: string): Promise<string> {
  const fresh = program();
  try {
    await fresh.root.parseAsync(exampleArgv(line), { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') return '--help';
    const msg = e instanceof CommanderError ? e.message : String(e);
    throw new Error(`${owner}: example '${line}' does not parse: ${msg}`);
  }
  expect(fresh.ran, line).toHaveLength(1);
  return fresh.ran[0] as string;
}

describe('examples in --help', () => {
  it('shellWords splits quotes the way a shell does', () => {
    expect(
      shellWords(`printf 'a\\nb' | pnpm seqlab translate --model m "Save as %s" x"y z"`),
    ).toEqual([
      'printf',
      'a\\nb',
      '|',
      'pnpm',
      'seqlab',
      'translate',
      '--model',
      'm',
      'Save as %s',
      'xy z',
    ]);
    expect(exampleArgv("printf 'Quit\\n' | pnpm seqlab translate --model m")).toEqual([
      'translate',
      '--model',
      'm',
    ]);
  });

  it('every command has at least one example, and every example runs that command with valid flags', async () => {
    const { leaves } = program();
    expect([...leaves.keys()].sort()).toEqual([
      'bench decode',
      'bench lstm',
      'caption',
      'data emoji',
      'data gettext',
      'data gettext-held-out',
      'data shapes',
      'eval caption',
      'eval translate',
      'sweep translate',
      'train caption',
      'train translate',
      'train words',
      'translate',
    ]);
    for (const [name, cmd] of leaves) {
      const lines = examplesOf(cmd);
      expect(lines.length, `${name} has no example`).toBeGreaterThan(0);
      // An example may prepare data first; one of them must run the command itself.
      const ran: string[] = [];
      for (const line of lines) ran.push(await runs(line, name));
      expect(ran, `${name}'s examples`).toContain(name);
    }
  });

  it('the commands that group others, and the root, have examples that run one of their sub-commands', async () => {
    const { groups } = program();
    expect([...groups.keys()].sort()).toEqual(['bench', 'data', 'eval', 'sweep', 'train']);
    for (const [name, cmd] of groups) {
      const lines = examplesOf(cmd);
      expect(lines.length, `${name} has no example`).toBeGreaterThan(0);
      for (const line of lines) expect(await runs(line, name)).toMatch(new RegExp(`^${name} `));
    }
    const root = examplesOf(createProgram());
    expect(root.length).toBeGreaterThan(0);
    for (const line of root)
      expect(await runs(line, 'seqlab')).toMatch(/^(translate|caption|--help)$/);
  });

  it('--help prints the examples after the options', async () => {
    const r = await seqlab(['translate', '--help']);
    expect(r.code, r.stderr).toBe(0);
    const at = r.stdout.indexOf('Examples:\n  $ pnpm seqlab translate --model translate-en-es');
    expect(at).toBeGreaterThan(r.stdout.indexOf('--attention'));
  }, 60_000);
});
