import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellAt, centreTicks, toGrid } from '../lib/heatmap-grid';

describe('toGrid', () => {
  it('lays values[col][row] out row after row', () => {
    const g = toGrid([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(g.width).toBe(3);
    expect(g.height).toBe(2);
    expect([...g.cells]).toEqual([1, 3, 5, 2, 4, 6]);
  });

  it('puts every value at pixel (col, row) for any rectangular input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (w, h) => {
        const values = Array.from({ length: w }, (_, x) =>
          Array.from({ length: h }, (_, y) => x * 100 + y),
        );
        const g = toGrid(values);
        for (let x = 0; x < w; x++)
          for (let y = 0; y < h; y++) expect(g.cells[y * g.width + x]).toBe(x * 100 + y);
      }),
    );
  });

  it('is empty for no columns and refuses ragged columns, naming the column', () => {
    expect(toGrid([])).toMatchObject({ width: 0, height: 0 });
    expect(() => toGrid([[1, 2], [3]])).toThrow(/column 1 has 1 values, expected 2/);
  });
});

describe('centreTicks / cellAt', () => {
  it('marks cell centres, thinned by `every`, and maps them back to their cell', () => {
    expect(centreTicks(3)).toEqual([0.5, 1.5, 2.5]);
    expect(centreTicks(40, 16)).toEqual([0.5, 16.5, 32.5]);
    expect(centreTicks(0)).toEqual([]);
    expect(centreTicks(40, 16).map(cellAt)).toEqual([0, 16, 32]);
    expect(centreTicks(2, 0)).toEqual([0.5, 1.5]);
  });
});
