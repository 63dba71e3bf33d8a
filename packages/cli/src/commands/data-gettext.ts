// `seqlab data gettext`: builds the en→{es,fr,de} UI-string corpus from Debian gettext catalogs.
import { isAbsolute, resolve } from 'node:path';
import { buildGettextCorpus, formatGettextStats } from '@seqlab/data/node';
import type { Command } from 'commander';

/** The shared `data` parent command (created by whichever data-* module registers first). */
function dataCommand(program: Command): Command {
  return (
    program.commands.find((c) => c.name() === 'data') ??
    program.command('data').description('Build datasets (translation corpora, Shapes, emoji)')
  );
}

/** Relative paths mean relative to where the user typed the command (pnpm exec changes the cwd). */
function userPath(p: string): string {
  return isAbsolute(p) ? p : resolve(process.env.INIT_CWD ?? process.cwd(), p);
}

export function register(program: Command): void {
  dataCommand(program)
    .command('gettext')
    .description(
      'Build the en→xx translation corpus from the gettext catalogs of the listed Debian packages',
    )
    .requiredOption(
      '--out <dir>',
      'output directory (gets en-<lang>/{train,valid,test}.tsv and manifest.json)',
    )
    .option('--langs <list>', 'comma-separated target languages', 'es,fr,de')
    .option(
      '--packages <file>',
      'package list, one name a line (default: ../shared/data/gettext-packages.txt from the repo root)',
    )
    .option('--cache <dir>', '.deb cache directory (default: <repo>/data-cache/debs)')
    .action(async (opts: { out: string; langs: string; packages?: string; cache?: string }) => {
      const langs = opts.langs
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const bad = langs.filter((l) => !/^[a-z]{2,3}$/.test(l));
      if (langs.length === 0 || bad.length > 0) {
        throw new Error(
          `--langs expects comma-separated language codes like es,fr,de; got '${opts.langs}'`,
        );
      }
      const out = userPath(opts.out);
      const manifest = await buildGettextCorpus({
        out,
        langs,
        ...(opts.packages ? { packagesFile: userPath(opts.packages) } : {}),
        ...(opts.cache ? { cacheDir: userPath(opts.cache) } : {}),
        onProgress: ({ done, total, pkg, catalogs }) => {
          process.stderr.write(
            `[${String(done).padStart(String(total).length)}/${total}] ${pkg}: ${catalogs} catalogs\n`,
          );
        },
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      });
      process.stdout.write(`${formatGettextStats(manifest)}\nwrote ${out}\n`);
    });
}
