// App-held-out splits: which packages are held out (list file format, seeded choice) and the routing rule.
import { splitHash } from './split';

/** The two held-out groups: `dev` chooses checkpoints and hyper-parameters, `test` reports. */
export type HeldOutGroup = 'dev' | 'test';

/** A package's role in a build: training package (feeds train/valid/test) or one held-out group. */
export type PackageGroup = 'train' | HeldOutGroup;

/** Held-out package names per group (each sorted; no package in both). */
export interface HeldOutPackages {
  dev: string[];
  test: string[];
}

/** Thrown for a malformed held-out list; the message names the file and line. */
export class HeldOutListError extends Error {
  override name = 'HeldOutListError';
}

/**
 * Parse a held-out list: one `<group> <package>` a line (`dev gnome-maps`, `test vlc-l10n`), `#`
 * comments and blank lines ignored. A package listed twice (in one group or both) is an error.
 * @example parseHeldOutList('dev a\ntest b\n') // { dev: ['a'], test: ['b'] }
 */
export function parseHeldOutList(text: string, name = '<held-out list>'): HeldOutPackages {
  const out: HeldOutPackages = { dev: [], test: [] };
  const seen = new Map<string, number>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/#.*/, '').trim();
    if (line === '') continue;
    const m = /^(dev|test)\s+(\S+)$/.exec(line);
    if (!m) {
      throw new HeldOutListError(
        `${name}:${i + 1}: expected '<group> <package>' with group dev or test, got ${JSON.stringify(line)}`,
      );
    }
    const group = m[1] as HeldOutGroup;
    const pkg = m[2] as string;
    const prev = seen.get(pkg);
    if (prev !== undefined) {
      throw new HeldOutListError(
        `${name}:${i + 1}: package '${pkg}' is already held out on line ${prev}; a package belongs to one group`,
      );
    }
    seen.set(pkg, i + 1);
    out[group].push(pkg);
  }
  out.dev.sort();
  out.test.sort();
  return out;
}

/** The list file text of `h`, with `header` lines written as `#` comments first. */
export function formatHeldOutList(h: HeldOutPackages, header: readonly string[] = []): string {
  const lines = header.map((l) => (l === '' ? '#' : `# ${l}`));
  for (const g of ['dev', 'test'] as const)
    for (const p of [...h[g]].sort()) lines.push(`${g} ${p}`);
  return `${lines.join('\n')}\n`;
}

/** A map package → group for `h`; packages not in it are training packages. */
export function packageGroups(h: HeldOutPackages | undefined): Map<string, HeldOutGroup> {
  const m = new Map<string, HeldOutGroup>();
  for (const g of ['dev', 'test'] as const) for (const p of h?.[g] ?? []) m.set(p, g);
  return m;
}

/** Options of chooseHeldOutPackages. */
export interface ChooseHeldOutOptions {
  /** Seed of the package order; another seed gives another (equally valid) choice. */
  seed: number;
  /** Stop adding to a group once it holds this many pairs (mean kept pairs per language). */
  targetPairs: number;
  /** Candidates hold at least this many pairs (a package with a handful of strings is no app). Default 20. */
  minPairs?: number;
  /** Candidates hold at most this many pairs, so no one application dominates a group. */
  maxPairs: number;
  /** Never held out (e.g. the packages the shipped models were trained on). */
  exclude?: readonly string[];
}

/**
 * The seeded rule that chose `lists/gettext-held-out.txt`: candidates are the packages with
 * `minPairs ≤ pairs ≤ maxPairs` not in `exclude`, taken in the order of splitHash(`${seed}:${name}`);
 * each goes to the group that holds fewer pairs so far (dev on a tie) until both hold at least
 * `targetPairs`, so the groups end up balanced in string count. `pairs` is a package's mean kept
 * pairs per language (from a build's manifest). Deterministic: same input, same choice.
 * @example
 * chooseHeldOutPackages([{ name: 'a', pairs: 90 }, { name: 'b', pairs: 80 }], { seed: 1, targetPairs: 50, maxPairs: 100 })
 * // { dev: [one of a, b], test: [the other] }
 */
export function chooseHeldOutPackages(
  packages: readonly { name: string; pairs: number }[],
  opts: ChooseHeldOutOptions,
): HeldOutPackages {
  const minPairs = opts.minPairs ?? 20;
  if (!(opts.targetPairs > 0) || !(opts.maxPairs >= minPairs)) {
    throw new RangeError(
      `chooseHeldOutPackages: expected targetPairs > 0 and maxPairs ≥ minPairs (${minPairs}); ` +
        `got targetPairs ${opts.targetPairs}, maxPairs ${opts.maxPairs}`,
    );
  }
  const exclude = new Set(opts.exclude ?? []);
  const key = (name: string) => splitHash(`${opts.seed}:${name}`);
  const candidates = packages
    .filter((p) => !exclude.has(p.name) && p.pairs >= minPairs && p.pairs <= opts.maxPairs)
    .sort((a, b) => key(a.name) - key(b.name) || (a.name < b.name ? -1 : 1));
  const out: HeldOutPackages = { dev: [], test: [] };
  const size = { dev: 0, test: 0 };
  for (const p of candidates) {
    if (size.dev >= opts.targetPairs && size.test >= opts.targetPairs) break;
    let g: HeldOutGroup = size.dev <= size.test ? 'dev' : 'test';
    if (size[g] >= opts.targetPairs) g = g === 'dev' ? 'test' : 'dev';
    out[g].push(p.name);
    size[g] += p.pairs;
  }
  out.dev.sort();
  out.test.sort();
  return out;
}

/**
 * The held-out group of a string whose normalised English occurs in packages of both groups (and in
 * no training package): one bit of its hash, so such strings split about evenly and never span both.
 */
export function sharedHeldOutGroup(normalisedEnglish: string): HeldOutGroup {
  // The low bit: independent of the high bits that choose the in-domain valid/test split.
  return (splitHash(normalisedEnglish) & 1) === 0 ? 'dev' : 'test';
}
