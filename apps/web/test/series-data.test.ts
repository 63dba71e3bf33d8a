// /train's time-series CSV checks: numeric columns found, every problem named by line and column.
import { describe, expect, it } from 'vitest';
import { SERIES_LIMITS, validateSeriesCsv } from '../lib/series-data';

const rows = (n: number, sep = ',') =>
  Array.from({ length: n }, (_, i) => [`2000-${(i % 12) + 1}`, i * 1.5, `x${i}`].join(sep));

describe('validateSeriesCsv', () => {
  it('finds the columns with a number in every row, with any delimiter', () => {
    for (const sep of [',', ';', '\t']) {
      const r = validateSeriesCsv(
        `\uFEFFmonth${sep}value${sep}note\r\n${rows(60, sep).join('\r\n')}\n\n`,
        'a.csv',
      );
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(Object.keys(r.columns)).toEqual(['value']);
      expect(r.columns.value?.slice(0, 3)).toEqual([0, 1.5, 3]);
      expect(r.rows).toBe(60);
      expect(r.delimiter).toBe(sep);
    }
  });

  it('names the first bad cell of each column when none is numeric', () => {
    const body = rows(60);
    body[9] = '2000-10,,x9';
    const r = validateSeriesCsv(`month,value,note\n${body.join('\n')}`, 'b.csv');
    expect(r).toEqual({
      ok: false,
      errors: [
        'b.csv: expected at least one column with a number in every row; none has:',
        `b.csv:2: column 'month': expected a number, got "2000-1"`,
        "b.csv:11: column 'value': expected a number, got an empty cell",
        `b.csv:2: column 'note': expected a number, got "x0"`,
      ],
    });
  });

  it('refuses ragged rows, quoted headers, binary files and short series', () => {
    expect(validateSeriesCsv('a,b\n1,2\n3\n', 'r.csv')).toEqual({
      ok: false,
      errors: ['r.csv:3: expected 2 fields (as the header: a,b), got 1: "3"'],
    });
    expect(validateSeriesCsv('"a","b"\n1,2\n', 'q.csv')).toMatchObject({
      errors: [expect.stringMatching(/^q\.csv:1: quoted fields are not supported/)],
    });
    expect(validateSeriesCsv('\u0000\u0001', 'x.bin')).toMatchObject({
      errors: [expect.stringMatching(/^x\.bin: this is a binary file/)],
    });
    expect(validateSeriesCsv(`m,v,n\n${rows(10).join('\n')}`, 's.csv')).toMatchObject({
      errors: [
        `s.csv: expected at least ${SERIES_LIMITS.minValues} rows (the last ones are held out to measure the forecast), got 10`,
      ],
    });
  });
});
