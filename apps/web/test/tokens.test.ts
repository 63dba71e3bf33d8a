import { describe, expect, it } from 'vitest';
import { displayToken } from '../lib/tokens';

describe('displayToken', () => {
  it('makes whitespace-only and empty tokens visible and leaves others alone', () => {
    expect(displayToken(' ')).toBe('␣');
    expect(displayToken('  ')).toBe('␣␣');
    expect(displayToken('\n')).toBe('↵');
    expect(displayToken('\u00a0')).toBe('·');
    expect(displayToken('')).toBe('∅');
    expect(displayToken(' the')).toBe(' the');
    expect(displayToken('%s')).toBe('%s');
  });
});
