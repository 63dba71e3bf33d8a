// addTypo: one seeded edit inside one long word; everything else untouched; rate 0 is the identity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../src/random';
import { addTypo } from '../src/typos';
import { hostileString } from './arbitraries';

/** Edit distance (Damerau: a swap of neighbours counts as one edit). */
function damerau(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const d = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(
        (d[i - 1]?.[j] as number) + 1,
        (d[i]?.[j - 1] as number) + 1,
        (d[i - 1]?.[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1])
        v = Math.min(v, (d[i - 2]?.[j - 2] as number) + 1);
      (d[i] as number[])[j] = v;
    }
  return d[x.length]?.[y.length] as number;
}

describe('addTypo', () => {
  it('changes exactly one word of four or more letters by one edit, keeping its first and last letter', () => {
    const words = fc.oneof(
      fc.stringMatching(/^[a-zA-Zéü]{1,10}$/),
      fc.constantFrom('%s', '{name}', 'http://example.org', '<b>', '42', 'x86_64'),
    );
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 8 }), fc.integer(), (ws, seed) => {
        const text = ws.join(' ');
        const out = addTypo(text, 1, makeRng(seed));
        const a = text.split(' ');
        const b = out.split(' ');
        expect(b.length).toBe(a.length);
        const changed = a.flatMap((w, i) => (w === b[i] ? [] : [i]));
        const eligible = a.some((w) => /^\p{L}{4,}$/u.test(w));
        if (!eligible) expect(out).toBe(text);
        expect(changed.length).toBeLessThanOrEqual(1);
        for (const i of changed) {
          const [w, v] = [a[i] as string, b[i] as string];
          expect(w).toMatch(/^\p{L}{4,}$/u);
          expect(damerau(w, v)).toBe(1);
          expect(v[0]).toBe(w[0]);
          expect(v.at(-1)).toBe(w.at(-1));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rate 0 is the identity, the rate is respected, and the seed reproduces', () => {
    fc.assert(
      fc.property(hostileString, (s) => {
        expect(addTypo(s, 0, makeRng(1))).toBe(s);
      }),
    );
    const text = 'Open the selected folder';
    const r = makeRng(3);
    let changed = 0;
    for (let i = 0; i < 2000; i++) if (addTypo(text, 0.3, r) !== text) changed++;
    expect(changed / 2000).toBeGreaterThan(0.25);
    expect(changed / 2000).toBeLessThan(0.35);
    expect(addTypo(text, 1, makeRng(9))).toBe(addTypo(text, 1, makeRng(9)));
    expect(() => addTypo(text, 1.5, makeRng(1))).toThrow(/rate must be in \[0, 1\], got 1.5/);
  });
});
