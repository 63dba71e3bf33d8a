// The dense grid a heatmap is drawn from: values[col][row] (e.g. [step][unit]) laid out row-major
// for an image (one pixel per cell), plus the tick positions of cell centres on a continuous axis.

/** A heatmap's cells in image order: pixel (col, row) is `cells[row * width + col]`. */
export type Grid = { width: number; height: number; cells: Float64Array };

/**
 * Lays out values[col][row] as an image's pixels, row after row (row 0 first).
 * Every column must have the same length.
 * @example toGrid([[1, 2], [3, 4], [5, 6]]) // width 3, height 2, cells [1, 3, 5, 2, 4, 6]
 */
export function toGrid(values: readonly (readonly number[])[]): Grid {
  const width = values.length;
  const height = values[0]?.length ?? 0;
  const cells = new Float64Array(width * height);
  values.forEach((col, x) => {
    if (col.length !== height)
      throw new Error(
        `heatmap: column ${x} has ${col.length} values, expected ${height} like column 0 (every column needs one value per row)`,
      );
    col.forEach((v, y) => {
      cells[y * width + x] = v;
    });
  });
  return { width, height, cells };
}

/**
 * Tick positions at the centres of cells 0…n−1 on a continuous axis where cell i spans [i, i+1]:
 * every cell when `every` is 1, else every `every`-th cell (0, every, 2·every, …).
 * @example centreTicks(3) // [0.5, 1.5, 2.5]
 */
export function centreTicks(n: number, every = 1): number[] {
  const step = Math.max(1, Math.floor(every));
  const ticks: number[] = [];
  for (let i = 0; i < n; i += step) ticks.push(i + 0.5);
  return ticks;
}

/** The cell a position on such an axis falls in (the inverse of a centre tick). */
export const cellAt = (v: number) => Math.floor(v);
