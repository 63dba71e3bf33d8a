// Validation of a time series brought to /train: a CSV (comma, semicolon or tab) with a header row
// and at least one numeric column; each problem names the file, line and column.

export const SERIES_LIMITS = {
  /** Fewer values leave too little history after the held-out tail. */
  minValues: 48,
  maxValues: 100_000,
} as const;

export type SeriesCheck =
  | { ok: true; columns: Record<string, number[]>; rows: number; delimiter: string }
  | { ok: false; errors: string[] };

/**
 * The numeric columns of a CSV: a column is numeric when every data row holds a finite number
 * there (`1.5`, `-3`, `1e3`; empty cells are problems, not zeros). Quoted fields are refused
 * rather than misread. When no column is numeric, the first bad cell of each column is named.
 *
 * @example validateSeriesCsv('date,co2\n2000-01,368.1\n', 'co2.csv') // { ok: false, errors: ['co2.csv: expected at least 48 rows …'] }
 */
export function validateSeriesCsv(text: string, name: string): SeriesCheck {
  if (text.includes('\u0000'))
    return {
      ok: false,
      errors: [`${name}: this is a binary file; expected a CSV text file with a header row`],
    };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerLine = lines[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    headerLine.split(d).length > headerLine.split(best).length ? d : best,
  );
  const header = headerLine.split(delimiter).map((h) => h.trim());
  if (headerLine.includes('"'))
    return {
      ok: false,
      errors: [`${name}:1: quoted fields are not supported; expected plain names like date,value`],
    };
  if (header.length === 0 || header.some((h) => h === ''))
    return {
      ok: false,
      errors: [
        `${name}:1: expected a header row naming every column, got ${JSON.stringify(headerLine.slice(0, 80))}`,
      ],
    };
  const values: number[][] = header.map(() => []);
  const firstBad: (string | null)[] = header.map(() => null);
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    rows += 1;
    const cells = line.split(delimiter);
    if (cells.length !== header.length) {
      return {
        ok: false,
        errors: [
          `${name}:${i + 1}: expected ${header.length} fields (as the header: ${header.join(delimiter)}), got ${cells.length}: ${JSON.stringify(line.slice(0, 80))}`,
        ],
      };
    }
    cells.forEach((raw, c) => {
      const cell = raw.trim();
      const v = cell === '' ? Number.NaN : Number(cell);
      if (Number.isFinite(v)) values[c]?.push(v);
      else
        firstBad[c] ??=
          `${name}:${i + 1}: column '${header[c]}': expected a number, got ${cell === '' ? 'an empty cell' : JSON.stringify(cell.slice(0, 40))}`;
    });
  }
  const columns: Record<string, number[]> = {};
  header.forEach((h, c) => {
    if (firstBad[c] === null && rows > 0) columns[h] = values[c] as number[];
  });
  if (Object.keys(columns).length === 0)
    return {
      ok: false,
      errors: [
        `${name}: expected at least one column with a number in every row; none has:`,
        ...firstBad.filter((m): m is string => m !== null),
      ],
    };
  if (rows < SERIES_LIMITS.minValues)
    return {
      ok: false,
      errors: [
        `${name}: expected at least ${SERIES_LIMITS.minValues} rows (the last ones are held out to measure the forecast), got ${rows}`,
      ],
    };
  if (rows > SERIES_LIMITS.maxValues)
    return {
      ok: false,
      errors: [`${name}: ${rows} rows; at most ${SERIES_LIMITS.maxValues} are trained in a page`],
    };
  return { ok: true, columns, rows, delimiter };
}
