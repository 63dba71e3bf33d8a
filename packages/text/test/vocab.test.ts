// Vocab: specials, encode/decode, JSON round trip and validation.
import { describe, expect, it } from 'vitest';
import { BOS, EOS, PAD, UNK, Vocab } from '../src/vocab';

describe('Vocab', () => {
  const v = Vocab.build(
    [
      ['b', 'a', 'b'],
      ['c', 'b', 'a'],
    ],
    { minCount: 2 },
  );

  it('puts specials at 0–3 and orders by count, then token', () => {
    expect([PAD, BOS, EOS, UNK]).toEqual([0, 1, 2, 3]);
    expect(v.size).toBe(6);
    expect(v.token(4)).toBe('b');
    expect(v.token(5)).toBe('a');
  });

  it('encodes unknown tokens as UNK and decodes up to EOS', () => {
    expect(v.encode(['a', 'c', 'zzz'], { bos: true, eos: true })).toEqual([BOS, 5, UNK, UNK, EOS]);
    expect(v.decode([BOS, 4, 5, EOS, 4])).toEqual(['b', 'a']);
    expect(v.decode([PAD, 4, UNK], { keepSpecials: true })).toEqual(['<pad>', 'b', '<unk>']);
  });

  it('honours maxSize', () => {
    expect(Vocab.build([['x', 'y', 'z']], { maxSize: 5 }).size).toBe(5);
  });

  it('round-trips through JSON', () => {
    const back = Vocab.fromJSON(JSON.stringify(v.toJSON()));
    expect(back.toJSON()).toEqual(v.toJSON());
  });

  it.each([
    [null, /expected an object, got null/],
    [{ type: 'bpe', version: 1, tokens: [] }, /expected type "vocab"/],
    [{ type: 'vocab', version: 2, tokens: [] }, /unsupported version 2/],
    [{ type: 'vocab', version: 1, tokens: 'abc' }, /array of strings/],
    [{ type: 'vocab', version: 1, tokens: ['<pad>', '<s>'] }, /token 2 must be "<\/s>"/],
    [
      { type: 'vocab', version: 1, tokens: ['<pad>', '<s>', '</s>', '<unk>', 'a', 'a'] },
      /duplicate token "a"/,
    ],
  ])('rejects malformed JSON %#', (json, msg) => {
    expect(() => Vocab.fromJSON(json)).toThrow(msg);
  });

  it('rejects out-of-range ids', () => {
    expect(() => v.token(99)).toThrow(/id 99 out of range \[0, 6\)/);
  });
});
