import { describe, expect, it } from 'vitest';
import { parseLabRequest } from '../lib/lab-protocol';

describe('parseLabRequest', () => {
  it('accepts a well-formed request', () => {
    expect(parseLabRequest({ id: 3, type: 'langid', text: 'Abrir' })).toEqual({
      id: 3,
      type: 'langid',
      text: 'Abrir',
    });
  });

  it('says what was expected of a malformed one', () => {
    expect(() => parseLabRequest(null)).toThrow(/Expected a lab request \{id, type\}/);
    expect(() => parseLabRequest({ id: 1, type: 'nope' })).toThrow(
      /Unknown lab request "nope"; valid: init, langid/,
    );
    expect(() => parseLabRequest({ id: 1, type: 'langid', text: 'x'.repeat(2001) })).toThrow(
      /text must be a string of at most 2000 characters/,
    );
    expect(() => parseLabRequest({ id: 1, type: 'langid-word', word: 5 })).toThrow(
      /word must be a string/,
    );
  });
});
