// Closed-set decoding: prefixConstraint's trie, and greedy/beam outputs that always belong to the set.

import { EOS } from '@seqlab/text';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { prefixConstraint, Seq2Seq } from '../src/index';
import { beamSearch, greedy, TINY, useCpu } from './helpers';

beforeAll(useCpu);

describe('prefixConstraint', () => {
  test('allows continuations, and EOS where a sequence ends', () => {
    const f = prefixConstraint([[7, 8], [7, 9, 4], [5], [7]], EOS);
    expect(f(0, [])).toEqual([7, 5]);
    expect([...(f(1, [7]) ?? [])].sort()).toEqual([8, 9, EOS].sort());
    expect(f(2, [7, 8])).toEqual([EOS]);
    expect(f(2, [7, 9])).toEqual([4]);
    expect(f(1, [5])).toEqual([EOS]);
    // Off the set: the only way out is to stop.
    expect(f(1, [6])).toEqual([EOS]);
  });

  test('rejects an empty set and ids that cannot be part of a sequence', () => {
    expect(() => prefixConstraint([], EOS)).toThrow(/at least one sequence/);
    expect(() => prefixConstraint([[4, EOS]], EOS)).toThrow(
      /other than EOS \(2\), got 2 in \[4, 2\]/,
    );
    expect(() => prefixConstraint([[4, -1]], EOS)).toThrow(/got -1/);
  });

  test('greedy and beam search write only members of the set (random models and sets)', async () => {
    const V = TINY.tgtVocab as number;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 3, max: V - 1 }), { minLength: 1, maxLength: 5 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.integer({ min: 1, max: 1000 }),
        async (set, seed) => {
          const model = new Seq2Seq({ ...TINY, seed, maxLen: 8 });
          try {
            const allowedTokens = prefixConstraint(set, EOS);
            const key = (s: readonly number[]) => s.join(',');
            const members = new Set(set.map(key));
            const src = [
              [5, 6, 2],
              [8, 2],
            ];
            for (const g of await greedy(model, src, { allowedTokens })) {
              expect(g.finished).toBe(true);
              expect(members.has(key(g.tokens))).toBe(true);
            }
            for (const list of await beamSearch(model, src, {
              beamWidth: 3,
              nBest: 3,
              allowedTokens,
            })) {
              for (const h of list) expect(members.has(key(h.tokens))).toBe(true);
            }
          } finally {
            model.dispose();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
