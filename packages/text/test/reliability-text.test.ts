// Reliability: hostile tokenizer files are refused fast (no unbounded allocation); metrics on degenerate corpora stay finite.
import { describe, expect, it } from 'vitest';
import { BpeTokenizer, corpusBleu, corpusChrf, toWellFormed, Vocab } from '../src/index';

const tok = BpeTokenizer.train(['Open the file', 'Save the file as ⟨ph0⟩', 'Quit'], {
  vocabSize: 320,
  minCharCount: 1,
});

describe('tokenizer files from untrusted model folders', () => {
  const good = tok.toJSON() as unknown as Record<string, unknown>;
  it.each([
    [
      'placeholders: 1e9 (would allocate a billion pieces)',
      { placeholders: 1e9 },
      /"placeholders" must be a non-negative integer up to 4096, got 1000000000/,
    ],
    [
      'placeholders: -1',
      { placeholders: -1 },
      /"placeholders" must be a non-negative integer up to 4096/,
    ],
    ['merge of a later id', { merges: [100000, 300] }, /merge 0 joins ids 100000 and 300/],
    ['merge of a special id', { merges: [0, 1] }, /merge 0 joins ids 0 and 1/],
    ['odd merge list', { merges: [300] }, /"merges" must be an even-length array of integer ids/],
    ['non-integer merges', { merges: [1.5, 2] }, /"merges" must be an even-length array/],
    ['alphabet not a string', { alphabet: ['a'] }, /"alphabet" must be a string/],
    ['repeated alphabet', { alphabet: 'aa' }, /"alphabet" has repeated characters/],
    ['wrong type', { type: 'wordpiece' }, /expected type "bpe", got "wordpiece"/],
    ['wrong version', { version: 2 }, /unsupported version 2 \(valid: 1\)/],
  ])('%s', (_name, patch, error) => {
    const t0 = performance.now();
    expect(() => BpeTokenizer.fromJSON({ ...good, ...patch })).toThrow(error);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('null, arrays and malformed JSON text are refused with what was expected', () => {
    expect(() => BpeTokenizer.fromJSON(null)).toThrow(/expected an object, got null/);
    expect(() => BpeTokenizer.fromJSON('{"type": ')).toThrow(SyntaxError);
    expect(() => Vocab.fromJSON({ type: 'vocab', version: 1, tokens: [1, 2] })).toThrow(
      /array of strings/,
    );
  });

  it('encodes and decodes hostile strings without throwing; the round trip is the well-formed form', () => {
    const inputs = [
      '',
      '\u0000\u0001\u001b[0m\u007f',
      'lone \ud800 and \udfff',
      '👩‍👩‍👧‍👦🏳️‍🌈 عربى עברית',
      '⟨ph99⟩ ⟨ph0⟩ ⟨ph',
      'x'.repeat(10_000),
      Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i)).join(''),
    ];
    for (const s of inputs) {
      const ids = tok.encode(s);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0 && id < tok.vocabSize)).toBe(true);
      expect(tok.decode(ids)).toBe(toWellFormed(s));
    }
    expect(() => tok.decode([tok.vocabSize])).toThrow(/id \d+ out of range \[0, \d+\)/);
  });
});

describe('metrics on degenerate corpora', () => {
  it('empty corpora, empty lines and punctuation-only lines give finite scores', () => {
    for (const [h, r] of [
      [[], []],
      [[''], ['']],
      [
        ['', 'a'],
        ['b', ''],
      ],
      [['...'], ['!!!']],
    ] as [string[], string[]][]) {
      expect(Number.isFinite(corpusBleu(h, [r]).score), JSON.stringify([h, r])).toBe(true);
      expect(Number.isFinite(corpusChrf(h, [r])), JSON.stringify([h, r])).toBe(true);
    }
  });

  it('mismatched lengths say which stream and how many lines were expected', () => {
    expect(() => corpusBleu(['a', 'b'], [['a']])).toThrow(
      /reference stream 0 has 1 lines, expected 2/,
    );
    expect(() => corpusChrf(['a'], [['a'], []])).toThrow(
      /reference stream 1 has 0 lines, expected 1/,
    );
  });
});
