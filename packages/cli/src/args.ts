// Strict parsers for every numeric command-line flag: one grammar, a stated range, usage errors (exit 2).
import { COPY_CLASSES, type CopyClass } from '@seqlab/text';
import { InvalidArgumentError } from 'commander';

/** Exit status of a usage error (a bad flag or argument), as POSIX utilities use it. */
export const USAGE_EXIT_CODE = 2;

/** Largest beam the decoders accept (DECODE_DEFAULTS.maxBeam in @seqlab/seq2seq; a test keeps them equal). */
export const MAX_BEAM = 16;

/** Largest length penalty α (MAX_LENGTH_PENALTY in @seqlab/models; a test keeps them equal). */
export const MAX_LENGTH_PENALTY = 5;

/** A flag's valid values: integers or numbers, with bounds. */
export interface NumberRange {
  /** Integers only (`2.9`, `1e2` and `4x` are refused). */
  integer: boolean;
  min: number;
  max: number;
  /** true: `min` itself is refused (a positive rate: `> 0`). */
  minExclusive?: boolean;
}

// Plain decimal integers and decimals (with an optional exponent); no hex, no spaces, no `Infinity`.
const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The range in words, as the error messages and --help print it: "an integer from 1 to 16". */
export function describeRange(r: NumberRange): string {
  const kind = r.integer ? 'an integer' : 'a number';
  if (r.minExclusive)
    return r.max === Number.POSITIVE_INFINITY
      ? `${kind} greater than ${fmt(r.min)}`
      : `${kind} greater than ${fmt(r.min)} and at most ${fmt(r.max)}`;
  return r.max === Number.POSITIVE_INFINITY
    ? `${kind} ≥ ${fmt(r.min)}`
    : `${kind} from ${fmt(r.min)} to ${fmt(r.max)}`;
}

function fmt(x: number): string {
  return String(x);
}

/**
 * Parse `value` of `flag` strictly: the whole string must be an integer (or a number) in the range;
 * otherwise an error naming the flag, the value and the valid range.
 *
 * @example parseNumber('--beam', '4', { integer: true, min: 1, max: 16 }) // 4
 * @example parseNumber('--beam', '4x', { integer: true, min: 1, max: 16 }) // throws
 */
export function parseNumber(flag: string, value: string, range: NumberRange): number {
  const fail = (why = ''): never => {
    throw new InvalidArgumentError(
      `${flag} expects ${describeRange(range)}; got ${JSON.stringify(value)}${why}`,
    );
  };
  if (!(range.integer ? INTEGER : NUMBER).test(value)) {
    if (range.integer && NUMBER.test(value))
      fail(
        Number.isInteger(Number(value))
          ? ' (write integers in plain digits)'
          : ' (not a whole number)',
      );
    fail();
  }
  const x = Number(value);
  if (!Number.isFinite(x)) fail();
  if (range.integer && !Number.isSafeInteger(x)) fail(' (too large)');
  if (x < range.min || (range.minExclusive === true && x === range.min) || x > range.max)
    fail(' (out of range)');
  return Object.is(x, -0) ? 0 : x;
}

/** A commander argParser for an integer flag in [min, max]. */
export function intFlag(flag: string, min: number, max: number): (v: string) => number {
  return (v) => parseNumber(flag, v, { integer: true, min, max });
}

/** A commander argParser for a number flag in [min, max] (or (min, max] with minExclusive). */
export function numberFlag(
  flag: string,
  range: Omit<NumberRange, 'integer'>,
): (v: string) => number {
  return (v) => parseNumber(flag, v, { ...range, integer: false });
}

/** The ranges of the flags that several commands share. */
export const RANGES = {
  beam: { integer: true, min: 1, max: MAX_BEAM },
} as const satisfies Record<string, NumberRange>;

/** `--beam <n>`'s parser, shared by translate, caption and eval. */
export const beamFlag = intFlag('--beam', RANGES.beam.min, RANGES.beam.max);

/**
 * `--copy <classes>`'s parser: names the translator copies as written — a comma list of
 * url, email, path, file, identifier, acronym, unseen; `all`; or `none`.
 * @example copyFlag('url,acronym') // ['url', 'acronym']
 */
export function copyFlag(v: string): CopyClass[] {
  const valid = `expected none, all, or a comma list of ${COPY_CLASSES.join(', ')}`;
  const t = v.trim();
  if (t === 'none') return [];
  if (t === 'all') return [...COPY_CLASSES];
  const parts = t.split(',').map((x) => x.trim());
  for (const x of parts) {
    if (!COPY_CLASSES.includes(x as CopyClass))
      throw new InvalidArgumentError(`--copy: ${valid}; got ${JSON.stringify(x)}`);
  }
  return [...new Set(parts as CopyClass[])];
}

/** A usage error found after parsing (flags that depend on each other): exit status 2, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}
