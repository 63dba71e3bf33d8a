import { describe, expect, it } from 'vitest';
import { DEMOS } from '../lib/demos';

describe('demo list', () => {
  it('has unique ids and absolute hrefs', () => {
    const ids = new Set(DEMOS.map((d) => d.id));
    expect(ids.size).toBe(DEMOS.length);
    for (const d of DEMOS) expect(d.href.startsWith('/')).toBe(true);
  });
});
