// Issue 16, class 1: every numeric flag of every command is parsed strictly, in a stated range,
// before any work starts (a matrix over flags × bad values, in-process), and usage errors exit 2.

import { MAX_LENGTH_PENALTY as MODELS_MAX_LENGTH_PENALTY } from '@seqlab/models';
import { DECODE_DEFAULTS } from '@seqlab/seq2seq';
import { Command, CommanderError, type Option } from 'commander';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  describeRange,
  MAX_BEAM,
  MAX_LENGTH_PENALTY,
  type NumberRange,
  parseNumber,
} from '../src/args';
import { registerCommands } from '../src/commands';
import { seqlab } from './run-cli';

/** Commands owned by their own tests (benchmarks: `bench`, `bench decode`, `bench lstm`, …). */
const skipped = (name: string) => name === 'bench' || name.startsWith('bench ');

/** The required flags of `sweep translate`. */
const SWEEP = ['--config', 'c.json', '--grid', 'g.json', '--out', 'o'];

/** Every numeric flag: the command path, a minimal valid argv for it, and the flag's range. */
const NUMERIC: Record<string, { argv: string[]; range: NumberRange }> = {
  'translate --beam': { argv: ['--model', 'm', 'hi'], range: { integer: true, min: 1, max: 16 } },
  'caption --beam': { argv: ['--model', 'm', 'a.png'], range: { integer: true, min: 1, max: 16 } },
  'translate --n-best': {
    argv: ['--model', 'm', '--json', '--beam', '16', 'hi'],
    range: { integer: true, min: 1, max: 16 },
  },
  'caption --n-best': {
    argv: ['--model', 'm', '--json', '--beam', '16', 'a.png'],
    range: { integer: true, min: 1, max: 16 },
  },
  'eval translate --beam': {
    argv: ['--model', 'm', '--test', 't.tsv'],
    range: { integer: true, min: 1, max: 16 },
  },
  'eval translate --length-penalty': {
    argv: ['--model', 'm', '--test', 't'],
    range: { integer: false, min: 0, max: 5 },
  },
  'eval translate --against-beam': {
    argv: ['--model', 'm', '--test', 't', '--against', 'b'],
    range: { integer: true, min: 1, max: 16 },
  },
  'eval translate --against-length-penalty': {
    argv: ['--model', 'm', '--test', 't', '--against', 'b'],
    range: { integer: false, min: 0, max: 5 },
  },
  'eval translate --typos': {
    argv: ['--model', 'm', '--test', 't'],
    range: { integer: false, min: 0, max: 1 },
  },
  'eval translate --limit': {
    argv: ['--model', 'm', '--test', 't.tsv'],
    range: { integer: true, min: 1, max: 10_000_000 },
  },
  'eval caption --beam': {
    argv: ['--model', 'm', '--data', 'd'],
    range: { integer: true, min: 1, max: 16 },
  },
  'train translate --max-steps': {
    argv: ['--config', 'c.json'],
    range: { integer: true, min: 1, max: 100_000_000 },
  },
  'train translate --minutes': {
    argv: ['--config', 'c.json'],
    range: { integer: false, min: 0, minExclusive: true, max: 10080 },
  },
  'train translate --lr': {
    argv: ['--config', 'c.json'],
    range: { integer: false, min: 0, minExclusive: true, max: 1 },
  },
  'train translate --procs': {
    argv: ['--config', 'c.json', '--engine', 'torch'],
    range: { integer: true, min: 1, max: 64 },
  },
  'train translate --threads': {
    argv: ['--config', 'c.json', '--engine', 'kernels'],
    range: { integer: true, min: 1, max: 64 },
  },
  'train caption --max-steps': {
    argv: ['--config', 'c.json'],
    range: { integer: true, min: 1, max: 100_000_000 },
  },
  'train caption --minutes': {
    argv: ['--config', 'c.json'],
    range: { integer: false, min: 0, minExclusive: true, max: 10080 },
  },
  'train caption --lr': {
    argv: ['--config', 'c.json'],
    range: { integer: false, min: 0, minExclusive: true, max: 1 },
  },
  'train caption --procs': {
    argv: ['--config', 'c.json'],
    range: { integer: true, min: 1, max: 64 },
  },
  'train caption --threads': {
    argv: ['--config', 'c.json'],
    range: { integer: true, min: 1, max: 64 },
  },
  'sweep translate --max-steps': {
    argv: SWEEP,
    range: { integer: true, min: 1, max: 100_000_000 },
  },
  'sweep translate --minutes': {
    argv: SWEEP,
    range: { integer: false, min: 0, minExclusive: true, max: 10080 },
  },
  'sweep translate --threads': { argv: SWEEP, range: { integer: true, min: 1, max: 64 } },
  'sweep translate --dev-limit': { argv: SWEEP, range: { integer: true, min: 1, max: 10_000_000 } },
  'sweep translate --test-size': { argv: SWEEP, range: { integer: true, min: 1, max: 10_000_000 } },
  'sweep translate --rounds': { argv: SWEEP, range: { integer: true, min: 1, max: 100 } },
  'sweep translate --budget-mb': {
    argv: SWEEP,
    range: { integer: false, min: 0, minExclusive: true, max: 1e6 },
  },
  'sweep translate --latency-ms': {
    argv: SWEEP,
    range: { integer: false, min: 0, minExclusive: true, max: 1e6 },
  },
  'data shapes --count': { argv: ['--out', 'o'], range: { integer: true, min: 1, max: 1_000_000 } },
  'data shapes --seed': { argv: ['--out', 'o'], range: { integer: true, min: 0, max: 0xffffffff } },
  'data emoji --limit': { argv: ['--out', 'o'], range: { integer: true, min: 1, max: 100_000 } },
  'data gettext-held-out --keep-first': {
    argv: ['--manifest', 'm.json'],
    range: { integer: true, min: 0, max: 100_000 },
  },
  'data gettext-held-out --seed': {
    argv: ['--manifest', 'm.json'],
    range: { integer: true, min: 0, max: 0xffffffff },
  },
  'data gettext-held-out --target': {
    argv: ['--manifest', 'm.json'],
    range: { integer: true, min: 1, max: 100_000_000 },
  },
  'data gettext-held-out --min': {
    argv: ['--manifest', 'm.json'],
    range: { integer: true, min: 0, max: 100_000_000 },
  },
  'data gettext-held-out --max': {
    argv: ['--manifest', 'm.json'],
    range: { integer: true, min: 1, max: 100_000_000 },
  },
};

/** Value-taking flags that are not numbers (paths, names, lists). */
const TEXT = new Set([
  '--grid',
  '--dev',
  '--model',
  '--against',
  '--against-copy',
  '--outputs',
  '--test',
  '--copy',
  '--data',
  '--config',
  '--engine',
  '--out',
  '--styles',
  '--langs',
  '--packages',
  '--held-out',
  '--cache',
  '--manifest',
  '--write',
  '--split',
]);

/** The program with every action replaced by one that records the parsed options. */
function program(): { root: Command; leaves: Map<string, Command>; ran: unknown[] } {
  const root = new Command().name('seqlab').exitOverride();
  root.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  registerCommands(root);
  const leaves = new Map<string, Command>();
  const ran: unknown[] = [];
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`;
      sub.exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
      if (sub.commands.length > 0) walk(sub, `${name} `);
      else {
        sub.action((...args: unknown[]) => {
          ran.push((args.at(-2) as Command | object) ?? null);
        });
        leaves.set(name, sub);
      }
    }
  };
  walk(root, '');
  return { root, leaves, ran };
}

async function parse(argv: string[]): Promise<{ error?: CommanderError; opts?: unknown }> {
  const { root, ran } = program();
  try {
    await root.parseAsync(['node', 'seqlab', ...argv]);
  } catch (e) {
    if (e instanceof CommanderError) return { error: e };
    throw e;
  }
  return { opts: ran[0] };
}

/** Bad values for every flag; integers also refuse decimals and exponents. */
function badValues(r: NumberRange): string[] {
  const out = ['', 'abc', '4x', 'NaN', 'Infinity', '0x10', ' 3', '3 ', '1,000', String(r.max + 1)];
  out.push(r.minExclusive ? String(r.min) : String(r.min - 1));
  if (r.integer) out.push('2.9', '1e2', '1.0');
  else out.push('1e309', '-0.5');
  return out;
}

describe('numeric flags: one strict parser for every command', () => {
  it('every value-taking flag of every command is either in the numeric table or a text flag', () => {
    const { leaves } = program();
    const numeric: string[] = [];
    for (const [name, cmd] of leaves) {
      if (skipped(name)) continue;
      for (const o of cmd.options as readonly Option[]) {
        if (!o.required && !o.optional) continue; // a switch
        const flag = o.long as string;
        if (TEXT.has(flag)) continue;
        numeric.push(`${name} ${flag}`);
        expect(o.parseArg, `${name} ${flag} has no strict parser`).toBeTypeOf('function');
      }
    }
    expect(numeric.sort()).toEqual(Object.keys(NUMERIC).sort());
  });

  for (const [key, { argv, range }] of Object.entries(NUMERIC)) {
    const words = key.split(' ');
    const flag = words.pop() as string;
    for (const bad of badValues(range))
      it(`${key} ${JSON.stringify(bad)} is refused before any work, naming flag, value and range`, async () => {
        const r = await parse([...words, ...argv, `${flag}=${bad}`]);
        expect(r.error?.code, `accepted ${JSON.stringify(bad)}`).toBe('commander.invalidArgument');
        expect(r.error?.message).toContain(`${flag} expects ${describeRange(range)}`);
        expect(r.error?.message).toContain(JSON.stringify(bad));
      });
    it(`${key} accepts both ends of its range`, async () => {
      for (const x of [range.minExclusive ? range.min + 0.5 : range.min, range.max]) {
        const r = await parse([...words, ...argv, `${flag}=${x}`]);
        expect(r.error, r.error?.message).toBeUndefined();
      }
    });
  }
});

describe('parseNumber', () => {
  const range = { integer: true, min: -5, max: 1000 };
  it('property: an accepted string is plain digits and its value is in range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 8 }), fc.integer().map(String)), (s) => {
        let x: number | undefined;
        try {
          x = parseNumber('--n', s, range);
        } catch (e) {
          expect((e as Error).message).toContain('--n expects an integer from -5 to 1000');
          return;
        }
        expect(s).toMatch(/^[+-]?\d+$/);
        expect(x).toBe(Number(s));
        expect(x >= -5 && x <= 1000).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it('property: every number in range round-trips; every finite one outside is refused', () => {
    const r = { integer: false, min: 0, minExclusive: true, max: 1 } as const;
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const ok = d > 0 && d <= 1;
        if (ok) expect(parseNumber('--lr', String(d), r)).toBe(d);
        else expect(() => parseNumber('--lr', String(d), r)).toThrow(/--lr expects a number/);
      }),
      { numRuns: 500 },
    );
  });
  it('MAX_BEAM is the decoders’ largest beam', () => {
    expect(MAX_BEAM).toBe(DECODE_DEFAULTS.maxBeam);
  });
  it('MAX_LENGTH_PENALTY is the translators’ largest α', () => {
    expect(MAX_LENGTH_PENALTY).toBe(MODELS_MAX_LENGTH_PENALTY);
  });
});

describe('seqlab exit codes', () => {
  it('a bad flag value or an unknown option is a usage error (2) before any model loads; --help is 0', async () => {
    const bad = await seqlab(['translate', '--model', 'no-such-model', '--beam', '4x', 'hi']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--beam expects an integer from 1 to 16; got "4x"');
    expect(bad.stderr).not.toMatch(/no-such-model/); // the model was never looked up
    const unknown = await seqlab([
      'eval',
      'translate',
      '--model',
      'x',
      '--test',
      't',
      '--modle',
      'x',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown option '--modle'/);
    const help = await seqlab(['train', 'caption', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--overwrite/);
  }, 60_000);
});

describe('copyFlag', () => {
  it('parses none, all and comma lists, and names the valid classes otherwise', async () => {
    const { copyFlag } = await import('../src/args');
    expect(copyFlag('none')).toEqual([]);
    expect(copyFlag('all')).toEqual([
      'url',
      'email',
      'path',
      'file',
      'identifier',
      'acronym',
      'unseen',
    ]);
    expect(copyFlag('url, acronym,url')).toEqual(['url', 'acronym']);
    expect(() => copyFlag('urls')).toThrow(
      /--copy: expected none, all, or a comma list of url, email, path, file, identifier, acronym, unseen; got "urls"/,
    );
  });
});
