// `seqlab data gettext`: builds the en→{es,fr,de} UI-string corpus from Debian gettext catalogs;
// `seqlab data gettext-held-out`: proposes the held-out package list from a built manifest.
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { chooseHeldOutPackages, formatHeldOutList } from '@seqlab/data';
import {
  buildGettextCorpus,
  DEFAULT_HELD_OUT_FILE,
  DEFAULT_PACKAGES_FILE,
  findRepoRoot,
  formatGettextStats,
  type GettextManifest,
  readPackageList,
} from '@seqlab/data/node';
import type { Command } from 'commander';
import { intFlag, UsageError } from '../args';
import { examples } from '../help';
import { progress, quietOption, showProgress } from '../progress';

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

/** A path as the repo sees it (relative to the repo root when inside it), for files we write. */
function repoPath(p: string): string {
  const root = findRepoRoot(p) ?? findRepoRoot();
  return root ? relative(root, p) : p;
}

/** Largest pair count the held-out flags accept. */
const MAX_PAIRS = 100_000_000;

export function register(program: Command): void {
  const gettext = dataCommand(program)
    .command('gettext')
    .description(
      'Build the en→xx translation corpus from the gettext catalogs of the listed Debian packages: ' +
        'in-domain train/valid/test plus app-held-out dev-apps/test-apps',
    )
    .requiredOption(
      '--out <dir>',
      'output directory (gets en-<lang>/{train,valid,test,dev-apps,test-apps}.tsv and manifest.json)',
    )
    .option('--langs <list>', 'comma-separated target languages', 'es,fr,de')
    .option(
      '--packages <file>',
      `package list, one name a line (default: ${repoPath(DEFAULT_PACKAGES_FILE)})`,
    )
    .option(
      '--held-out <file>',
      `held-out packages, 'dev <pkg>' / 'test <pkg>' lines (default: ${repoPath(DEFAULT_HELD_OUT_FILE)})`,
    )
    .option('--no-held-out', 'hold no package out (no dev-apps/test-apps strings)')
    .option('--cache <dir>', '.deb cache directory (default: <repo>/data-cache/debs)');
  quietOption(gettext);
  gettext.addHelpText(
    'after',
    '\nProgress: a bar with ETA on a terminal; one line per package when stderr is a file or a pipe\n' +
      '(none with --quiet). Warnings always go to stderr.',
  );
  examples(gettext, [
    'pnpm seqlab data gettext --out data-cache/gettext',
    'pnpm seqlab data gettext --out data-cache/gettext-es --langs es --no-held-out --quiet',
  ]);
  gettext.action(
    async (opts: {
      out: string;
      langs: string;
      packages?: string;
      heldOut?: string | false;
      cache?: string;
      quiet?: boolean;
    }) => {
      const langs = opts.langs
        .split(',')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const bad = langs.filter((l) => !/^[a-z]{2,3}$/.test(l));
      if (langs.length === 0 || bad.length > 0) {
        throw new UsageError(
          `--langs expects comma-separated language codes like es,fr,de; got '${opts.langs}'`,
        );
      }
      const out = userPath(opts.out);
      // A bar for a person at a terminal; a line per package in logs; nothing with --quiet.
      const bar = progress('gettext', { quiet: opts.quiet === true });
      const lines = !showProgress() && opts.quiet !== true;
      const manifest = await buildGettextCorpus({
        out,
        langs,
        ...(opts.packages ? { packagesFile: userPath(opts.packages) } : {}),
        ...(opts.heldOut === false ? { heldOutFile: null } : {}),
        ...(typeof opts.heldOut === 'string' ? { heldOutFile: userPath(opts.heldOut) } : {}),
        ...(opts.cache ? { cacheDir: userPath(opts.cache) } : {}),
        onProgress: ({ done, total, pkg, catalogs }) => {
          bar.update(done, total, pkg);
          if (lines)
            process.stderr.write(
              `[${String(done).padStart(String(total).length)}/${total}] ${pkg}: ${catalogs} catalogs\n`,
            );
        },
        onWarning: (m) => bar.log(`warning: ${m}`),
      }).finally(() => bar.stop());
      process.stdout.write(`${formatGettextStats(manifest)}\nwrote ${out}\n`);
    },
  );

  const heldOut = dataCommand(program)
    .command('gettext-held-out')
    .description(
      'Choose the held-out packages (seeded, balanced in string count) from a built manifest and ' +
        'print or write the list that `data gettext --held-out` reads',
    )
    .requiredOption('--manifest <file>', 'manifest.json of a corpus built from the full list')
    .option('--packages <file>', 'package list whose first --keep-first names stay in training')
    .option(
      '--keep-first <n>',
      'never hold out the first n packages of the list (0..100000)',
      intFlag('--keep-first', 0, 100_000),
      63,
    )
    .option(
      '--seed <n>',
      'seed of the package order (0..4294967295)',
      intFlag('--seed', 0, 0xffffffff),
      19,
    )
    .option(
      '--target <pairs>',
      'pairs per group (mean kept pairs per language)',
      intFlag('--target', 1, MAX_PAIRS),
      6000,
    )
    .option(
      '--min <pairs>',
      'smallest candidate package (pairs)',
      intFlag('--min', 0, MAX_PAIRS),
      20,
    )
    .option(
      '--max <pairs>',
      'largest candidate package (pairs)',
      intFlag('--max', 1, MAX_PAIRS),
      1500,
    )
    .option('--write <file>', 'write the list here instead of printing it');
  examples(heldOut, [
    'pnpm seqlab data gettext-held-out --manifest data-cache/gettext/manifest.json',
  ]);
  heldOut.action(
    async (o: {
      manifest: string;
      packages?: string;
      keepFirst: number;
      seed: number;
      target: number;
      min: number;
      max: number;
      write?: string;
    }) => {
      if (o.min > o.max) throw new UsageError(`--min (${o.min}) must not exceed --max (${o.max})`);
      const manifestFile = userPath(o.manifest);
      const m = JSON.parse(await readFile(manifestFile, 'utf8')) as GettextManifest;
      if (m.corpus !== 'seqlab-gettext' || !Array.isArray(m.packages)) {
        throw new Error(
          `${manifestFile}: expected a seqlab-gettext manifest.json (from 'seqlab data gettext')`,
        );
      }
      const listFile = o.packages ? userPath(o.packages) : DEFAULT_PACKAGES_FILE;
      const keepFirst = o.keepFirst;
      const exclude = (await readPackageList(listFile)).slice(0, keepFirst);
      const packages = m.packages.map((p) => {
        const langs = Object.values(p.languages);
        const pairs = langs.reduce((a, l) => a + l.pairs, 0) / Math.max(1, langs.length);
        return { name: p.name, pairs };
      });
      const opts = {
        seed: o.seed,
        targetPairs: o.target,
        minPairs: o.min,
        maxPairs: o.max,
        exclude,
      };
      const h = chooseHeldOutPackages(packages, opts);
      const size = (names: string[]) =>
        Math.round(names.reduce((a, n) => a + (packages.find((p) => p.name === n)?.pairs ?? 0), 0));
      const header = [
        'Packages held out of training for the app-held-out splits of `seqlab data gettext`:',
        '`dev` packages give dev-apps.tsv (choose checkpoints and hyper-parameters), `test` packages',
        'give test-apps.tsv (report). Their strings reach neither split when their normalised English',
        'occurs in any training package, and they contribute nothing to train/valid/test.',
        '',
        'Chosen by chooseHeldOutPackages (packages/data/src/gettext/held-out.ts):',
        `  pnpm seqlab data gettext-held-out --manifest <full build>/manifest.json --keep-first ${keepFirst} --seed ${opts.seed} --target ${opts.targetPairs} --min ${opts.minPairs} --max ${opts.maxPairs}`,
        `Rule: candidates are packages with ${opts.minPairs}–${opts.maxPairs} kept pairs (mean over languages), never the first`,
        `${keepFirst} of the package list (the original list the shipped models were trained on); taken in the`,
        `order of splitHash('${opts.seed}:<name>'), each joins the smaller group until both hold ≥ ${opts.targetPairs} pairs.`,
        `Result: dev ${h.dev.length} packages (${size(h.dev)} pairs), test ${h.test.length} packages (${size(h.test)} pairs).`,
        'Kept fixed in the repo so adding packages or new versions never moves a package between groups.',
      ];
      const text = formatHeldOutList(h, header);
      if (o.write) {
        await writeFile(userPath(o.write), text);
        process.stdout.write(`wrote ${userPath(o.write)}\n`);
      } else process.stdout.write(text);
    },
  );
}
