// Monthly time series: parsing a Date,value CSV into a gap-free series, and the seasonal-naive baseline.
/** A regular monthly series. */
export interface MonthlySeries {
  /** 'YYYY-MM' of each value. */
  months: string[];
  values: number[];
  /** How many months were missing in the source and filled by linear interpolation. */
  filled: number;
}

const monthIndex = (ym: string) => {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return y * 12 + (m - 1);
};
const monthName = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;

/**
 * Reads a CSV with a header row, a `YYYY-MM-DD` date column and a numeric `column`; months missing
 * from the file are filled by linear interpolation (and counted), so every step is one month.
 * @example parseMonthlyCsv('Date,CO2\n1958-03-01,315.7\n1958-05-01,317.5', 'CO2').values; // [315.7, 316.6, 317.5]
 */
export function parseMonthlyCsv(csv: string, column: string): MonthlySeries {
  const lines = csv.trim().split(/\r?\n/);
  const header = (lines[0] ?? '').split(',');
  const col = header.indexOf(column);
  if (col < 1)
    throw new Error(
      `parseMonthlyCsv: expected a date column and '${column}'; the header has ${header.join(', ')}`,
    );
  const points: [number, number][] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const date = cells[0] ?? '';
    const v = Number(cells[col]);
    if (!/^\d{4}-\d{2}/.test(date) || !Number.isFinite(v)) continue;
    points.push([monthIndex(date.slice(0, 7)), v]);
  }
  points.sort((a, b) => a[0] - b[0]);
  if (points.length < 2)
    throw new Error(`parseMonthlyCsv: expected at least 2 dated rows, got ${points.length}`);
  const months: string[] = [];
  const values: number[] = [];
  let filled = 0;
  for (let i = 0; i < points.length; i++) {
    const [m, v] = points[i] as [number, number];
    if (i > 0) {
      const [pm, pv] = points[i - 1] as [number, number];
      if (m === pm) continue;
      for (let g = pm + 1; g < m; g++) {
        months.push(monthName(g));
        values.push(pv + ((v - pv) * (g - pm)) / (m - pm));
        filled++;
      }
    }
    months.push(monthName(m));
    values.push(v);
  }
  return { months, values, filled };
}

/**
 * Seasonal-naive forecast: each future month repeats the last observed value of the same month
 * (period 12 by default) — the baseline a forecaster of a seasonal series must beat.
 * @example seasonalNaive([1, 2, 3, 4], 2, 3); // [3, 4, 3]
 */
export function seasonalNaive(
  history: readonly number[],
  period: number,
  horizon: number,
): number[] {
  if (history.length < period)
    throw new Error(
      `seasonalNaive: expected at least ${period} values of history, got ${history.length}`,
    );
  const n = history.length;
  return Array.from({ length: horizon }, (_, h) => history[n - period + (h % period)] as number);
}

/** Mean absolute error between two equal-length arrays. */
export function meanAbsoluteError(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length || a.length === 0)
    throw new Error(
      `meanAbsoluteError: expected equal non-empty lengths, got ${a.length} and ${b.length}`,
    );
  return a.reduce((s, x, i) => s + Math.abs(x - (b[i] as number)), 0) / a.length;
}
