// BPE tokenizer: lossless round trip on hostile Unicode, placeholders, determinism, trainer correctness, JSON.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BpeTokenizer } from '../src/bpe';
import { makeRng } from '../src/random';
import { trainTranslationTokenizers } from '../src/tokenizers';
import { toWellFormed } from '../src/unicode';
import { BOS, EOS, UNK } from '../src/vocab';
import { hostileString } from './arbitraries';

const corpus = [
  'Open file',
  'Open folder',
  'Save file as…',
  'Save all files',
  'Close the window',
  'Open ⟨ph0⟩ in ⟨ph1⟩',
  'Abrir archivo',
  'Guardar archivo como…',
  'Cerrar la ventana',
  'Ouvrir le fichier',
  'Datei öffnen',
  'Open recent files',
  'Reopen closed tab',
  'Open a new window',
];
const tok = BpeTokenizer.train(corpus, { vocabSize: 400, placeholders: 4 });

/** Reference trainer: recount every pair after every merge (the naive O(merges × corpus) loop). */
function naiveMerges(
  words: number[][],
  freq: number[],
  firstId: number,
  max: number,
  minCount: number,
): number[] {
  const merges: number[] = [];
  const ws = words.map((w) => [...w]);
  while (merges.length / 2 < max) {
    const counts = new Map<string, number>();
    ws.forEach((w, wi) => {
      for (let i = 0; i + 1 < w.length; i++) {
        const k = `${w[i]},${w[i + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + (freq[wi] as number));
      }
    });
    let best: [number, number] | undefined;
    let bestC = 0;
    for (const [k, c] of counts) {
      const [a, b] = k.split(',').map(Number) as [number, number];
      if (c > bestC || (c === bestC && best && (a < best[0] || (a === best[0] && b < best[1])))) {
        best = [a, b];
        bestC = c;
      }
    }
    if (!best || bestC < minCount) break;
    const id = firstId + merges.length / 2;
    merges.push(...best);
    for (let wi = 0; wi < ws.length; wi++) {
      const w = ws[wi] as number[];
      const next: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === best[0] && w[i + 1] === best[1]) {
          next.push(id);
          i++;
        } else next.push(w[i] as number);
      }
      ws[wi] = next;
    }
  }
  return merges;
}

describe('BpeTokenizer', () => {
  it('decode(encode(s)) === toWellFormed(s) for arbitrary strings, and never emits UNK', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        const ids = tok.encode(s);
        expect(ids).not.toContain(UNK);
        expect(tok.decode(ids)).toBe(toWellFormed(s));
      }),
      { numRuns: 1000 },
    );
  });

  it('replaces lone surrogates by U+FFFD (documented)', () => {
    expect(tok.decode(tok.encode('a\uD800b\uDC00'))).toBe('a\uFFFDb\uFFFD');
    expect(tok.decode(tok.encode('🙂'))).toBe('🙂');
  });

  it('keeps reserved placeholders atomic and others as plain text', () => {
    const ids = tok.encode('Open ⟨ph1⟩ ⟨ph9⟩', { bos: true, eos: true });
    expect(ids[0]).toBe(BOS);
    expect(ids.at(-1)).toBe(EOS);
    expect(ids).toContain(tok.placeholderId(1));
    expect(tok.decode(ids)).toBe('Open ⟨ph1⟩ ⟨ph9⟩');
    expect(() => tok.placeholderId(4)).toThrow(/placeholder 4 out of range \[0, 4\)/);
  });

  it('learns frequent words as single tokens and falls back to bytes for unseen characters', () => {
    expect(tok.encode('Open').length).toBe(1);
    const ids = tok.encode('ж');
    expect(ids.map((i) => tok.piece(i))).toEqual(['<0xD0>', '<0xB6>']);
  });

  it('does not lowercase', () => {
    expect(tok.encode('open')).not.toEqual(tok.encode('Open'));
  });

  describe('BPE-dropout', () => {
    const text = 'Open folder ⟨ph1⟩ and save all files as…';
    it('the one-merge-at-a-time loop segments as classic BPE (every occurrence of the best pair at once)', () => {
      // A tokenizer with self-pairs (a+a, aa+a …), where overlapping occurrences make the order matter.
      const rep = BpeTokenizer.train([...corpus, 'aaaaaaa aaa aa', 'ssss sss', 'ababab aba'], {
        vocabSize: 420,
        placeholders: 4,
      });
      // Reference: per pre-token, start from the base symbols (dropout 1 keeps them) and merge
      // every occurrence of the lowest-ranked pair present, left to right, until none is left.
      const classic = (t: BpeTokenizer, word: string) => {
        const rank = new Map<string, number>();
        for (let m = 0; m + 1 < t.merges.length; m += 2)
          rank.set(`${t.merges[m]},${t.merges[m + 1]}`, m / 2);
        let syms = t.encode(word, { dropout: 1, random: makeRng(0) });
        for (;;) {
          let best = Number.POSITIVE_INFINITY;
          for (let i = 0; i + 1 < syms.length; i++)
            best = Math.min(best, rank.get(`${syms[i]},${syms[i + 1]}`) ?? best);
          if (best === Number.POSITIVE_INFINITY) return syms;
          const [a, b] = [t.merges[2 * best], t.merges[2 * best + 1]];
          const next: number[] = [];
          for (let i = 0; i < syms.length; i++) {
            if (i + 1 < syms.length && syms[i] === a && syms[i + 1] === b) {
              next.push(t.firstMergeId + best);
              i++;
            } else next.push(syms[i] as number);
          }
          syms = next;
        }
      };
      expect(rep.encode('aaa').map((id) => rep.piece(id))).toEqual(['aa', 'a']);
      // Words the merges touch a lot: corpus words, runs of one letter, case mixes.
      const word = fc.oneof(
        fc.constantFrom(...corpus.flatMap((c) => c.split(' '))),
        fc.stringMatching(/^ ?[a-zA-Zé]{1,12}$/),
        fc.stringMatching(/^ ?[abs]{1,15}$/),
      );
      fc.assert(
        fc.property(word, (w) => {
          expect(tok.encode(w)).toEqual(classic(tok, w));
          expect(rep.encode(w)).toEqual(classic(rep, w));
        }),
        { numRuns: 2000 },
      );
    });

    it('dropout 0 is the deterministic segmentation; dropout 1 leaves the base symbols', () => {
      fc.assert(
        fc.property(hostileString, fc.integer(), (s, seed) => {
          expect(tok.encode(s, { dropout: 0, random: makeRng(seed) })).toEqual(tok.encode(s));
          const none = tok.encode(s, { dropout: 1, random: makeRng(seed) });
          // Every id is a placeholder, byte or alphabet character: no merge survived.
          expect(none.every((id) => id < tok.firstMergeId)).toBe(true);
          expect(tok.decode(none)).toBe(toWellFormed(s));
        }),
        { numRuns: 300 },
      );
    });

    it('is lossless, never emits UNK and keeps placeholders atomic', () => {
      fc.assert(
        fc.property(
          hostileString,
          fc.double({ min: 0, max: 1, noNaN: true }),
          fc.integer(),
          (s, p, seed) => {
            const ids = tok.encode(s, { dropout: p, random: makeRng(seed), eos: true });
            expect(ids).not.toContain(UNK);
            expect(ids.at(-1)).toBe(EOS);
            expect(tok.decode(ids)).toBe(toWellFormed(s));
          },
        ),
        { numRuns: 500 },
      );
      const ids = tok.encode(text, { dropout: 0.5, random: makeRng(3) });
      expect(ids).toContain(tok.placeholderId(1));
    });

    it('samples: reproducible from the seed, varied across seeds, longer on average as p grows', () => {
      expect(tok.encode(text, { dropout: 0.3, random: makeRng(7) })).toEqual(
        tok.encode(text, { dropout: 0.3, random: makeRng(7) }),
      );
      const seen = new Set<string>();
      const mean = (p: number) => {
        let n = 0;
        for (let seed = 0; seed < 200; seed++) {
          const ids = tok.encode(text, { dropout: p, random: makeRng(seed) });
          seen.add(ids.join(','));
          n += ids.length;
        }
        return n / 200;
      };
      const base = tok.encode(text).length;
      const m1 = mean(0.1);
      const m5 = mean(0.5);
      expect(seen.size).toBeGreaterThan(10);
      expect(m1).toBeGreaterThan(base);
      expect(m5).toBeGreaterThan(m1);
      expect(m5).toBeLessThan(tok.encode(text, { dropout: 1, random: makeRng(0) }).length);
    });

    it('refuses a dropout outside [0, 1] or without a generator', () => {
      expect(() => tok.encode('a', { dropout: 1.5, random: makeRng(1) })).toThrow(
        /dropout must be in \[0, 1\], got 1.5/,
      );
      expect(() => tok.encode('a', { dropout: Number.NaN, random: makeRng(1) })).toThrow(/got NaN/);
      expect(() => tok.encode('a', { dropout: 0.1 })).toThrow(/needs a seeded `random`/);
    });
  });

  it('is deterministic', () => {
    const again = BpeTokenizer.train(corpus, { vocabSize: 400, placeholders: 4 });
    expect(again.toJSON()).toEqual(tok.toJSON());
  });

  it('the incremental trainer learns exactly the naive trainer’s merges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[abcd]{1,8}$/), { minLength: 1, maxLength: 30 }),
        (words) => {
          const t = BpeTokenizer.train(words, {
            vocabSize: 350,
            placeholders: 0,
            minCharCount: 1,
            minPairCount: 1,
          });
          const counts = new Map<string, number>();
          for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
          const charBase = t.firstMergeId - t.alphabet.length;
          const ids = [...counts.keys()].map((w) =>
            Array.from(w, (ch) => charBase + t.alphabet.indexOf(ch)),
          );
          expect(t.merges).toEqual(
            naiveMerges(ids, [...counts.values()], t.firstMergeId, 350 - t.firstMergeId, 1),
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('round-trips through JSON with identical encodings', () => {
    const back = BpeTokenizer.fromJSON(JSON.stringify(tok.toJSON()));
    expect(back.vocabSize).toBe(tok.vocabSize);
    for (const s of corpus) expect(back.encode(s)).toEqual(tok.encode(s));
  });

  it.each([
    [42, /expected an object, got number/],
    [{ type: 'vocab', version: 1 }, /expected type "bpe"/],
    [{ type: 'bpe', version: 3 }, /unsupported version 3/],
    [
      { type: 'bpe', version: 1, placeholders: -1, alphabet: '', merges: [] },
      /non-negative integer/,
    ],
    [
      { type: 'bpe', version: 1, placeholders: 0, alphabet: 'aa', merges: [] },
      /repeated characters/,
    ],
    [{ type: 'bpe', version: 1, placeholders: 0, alphabet: 'a', merges: [1] }, /even-length/],
    [
      { type: 'bpe', version: 1, placeholders: 0, alphabet: 'a', merges: [4, 9999] },
      /merge 0 joins ids 4 and 9999/,
    ],
  ])('rejects malformed JSON %#', (json, msg) => {
    expect(() => BpeTokenizer.fromJSON(json)).toThrow(msg);
  });

  it('trains joint or separate translation tokenizers with protected placeholders', () => {
    const pairs: [string, string][] = [
      ['Open %s', 'Abrir %s'],
      ['Copy %1$s to %2$s', 'Copiar %1$s a %2$s'],
    ];
    const joint = trainTranslationTokenizers(pairs, { vocabSize: 320, placeholders: 4 });
    expect(joint.source).toBe(joint.target);
    const sep = trainTranslationTokenizers(pairs, {
      vocabSize: 320,
      placeholders: 4,
      joint: false,
    });
    expect(sep.source).not.toBe(sep.target);
    expect(sep.target.alphabet).not.toContain('O');
    expect(joint.source.encode('Abrir ⟨ph0⟩')).toContain(joint.source.placeholderId(0));
  });
});
