import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { captionText, captionTokens } from '../src/caption-words';

describe('caption words', () => {
  it('splits punctuation into tokens', () => {
    expect(captionTokens('A small red star, a blue circle and a gray square')).toEqual([
      'a',
      'small',
      'red',
      'star',
      ',',
      'a',
      'blue',
      'circle',
      'and',
      'a',
      'gray',
      'square',
    ]);
    expect(captionTokens('thumbs up: medium skin tone')).toEqual([
      'thumbs',
      'up',
      ':',
      'medium',
      'skin',
      'tone',
    ]);
  });

  it('round-trips canonical captions', () => {
    const word = fc.stringMatching(/^[a-z]{1,8}$/);
    const caption = fc
      .array(fc.tuple(word, fc.constantFrom('', ',', ':')), { minLength: 1, maxLength: 10 })
      .map((parts) =>
        parts.map(([w, p], i) => (i === parts.length - 1 ? w : `${w}${p}`)).join(' '),
      );
    fc.assert(fc.property(caption, (c) => captionText(captionTokens(c)) === c));
  });
});
