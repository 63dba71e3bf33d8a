'use client';
// Step 1 of /train: the user's data, checked in the page: a TSV of sentence pairs, or a zip or
// folder of images with captions.tsv. Every problem is listed with its file and line.
import { useState } from 'react';
import { prepareCaptionData } from '@/lib/caption-images';
import { validateSeriesCsv } from '@/lib/series-data';
import { validateTranslationTsv } from '@/lib/train-data';
import type { CaptionTrainItem, TrainTask } from '@/lib/train-protocol';

/** What is ready to train on, or null. */
export type TrainData =
  | { task: 'translate'; name: string; pairs: { source: string; target: string }[] }
  | { task: 'caption'; name: string; items: CaptionTrainItem[] }
  | {
      task: 'series';
      name: string;
      values: number[];
      column: string;
      horizon: number;
      period: number;
    };

export function DataInput({
  task,
  onData,
}: {
  task: TrainTask;
  onData: (d: TrainData | null) => void;
}) {
  const [errors, setErrors] = useState<{ name: string; list: string[]; more: number } | null>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [series, setSeries] = useState<{
    name: string;
    columns: Record<string, number[]>;
    column: string;
    horizon: number;
    period: number;
  } | null>(null);
  const pick = (next: NonNullable<typeof series>) => {
    setSeries(next);
    const values = next.columns[next.column] ?? [];
    setSummary(
      `${next.name}: ${Object.keys(next.columns).length} numeric column(s); '${next.column}' has ${values.length} values, the last ${next.horizon} held out.`,
    );
    onData({
      task: 'series',
      name: next.name,
      values,
      column: next.column,
      horizon: next.horizon,
      period: next.period,
    });
  };
  const onCsv = async (file: File | undefined) => {
    if (!file) return;
    const r = validateSeriesCsv(await file.text(), file.name);
    if (!r.ok) {
      setSeries(null);
      return fail(file.name, r.errors);
    }
    setErrors(null);
    const column = Object.keys(r.columns)[0] as string;
    pick({
      name: file.name,
      columns: r.columns,
      column,
      horizon: Math.min(36, Math.floor(r.rows / 5)),
      period: 12,
    });
  };
  const fail = (name: string, list: string[], more = 0) => {
    setErrors({ name, list, more });
    setSummary(null);
    onData(null);
  };
  const onTsv = async (file: File | undefined) => {
    if (!file) return;
    const r = validateTranslationTsv(await file.text(), file.name);
    if (!r.ok) return fail(file.name, r.errors, r.more);
    setErrors(null);
    const p = r.pairs[0];
    setSummary(
      `${file.name}: ${r.pairs.length} sentence pairs, e.g. “${p?.source}” → “${p?.target}”.`,
    );
    onData({ task: 'translate', name: file.name, pairs: r.pairs });
  };
  const onImages = async (input: { zip: File } | { folder: File[] }, name: string) => {
    setBusy(true);
    try {
      const r = await prepareCaptionData(input);
      if (!r.check.ok) return fail(r.where, r.check.errors, r.check.more);
      setErrors(null);
      const first = r.items[0];
      const unused = r.check.unused.length;
      setSummary(
        `${r.where}: ${r.items.length} captioned images (resized to 64×64), e.g. ${first?.file}: “${first?.captions[0]}”${
          unused ? `; ${unused} image${unused === 1 ? '' : 's'} without a caption left out` : ''
        }.`,
      );
      onData({ task: 'caption', name: r.where, items: r.items });
    } catch (e) {
      fail(name, [(e as Error).message]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="data-h">
      <h2 id="data-h">1. Your data</h2>
      {task === 'translate' ? (
        <>
          <p className="muted small">
            A UTF-8 text file with one sentence pair per line: the source, a tab, the translation
            (further columns are ignored, as in Anki/Tatoeba exports). At least 20 pairs; 10% (at
            most 50) are held out to measure BLEU and chrF.
          </p>
          <input
            type="file"
            accept=".tsv,.txt,text/tab-separated-values,text/plain"
            data-testid="train-file"
            aria-label="Sentence pairs (TSV)"
            onChange={(e) => onTsv(e.target.files?.[0])}
          />
        </>
      ) : task === 'caption' ? (
        <>
          <p className="muted small">
            Images of any size (PNG, JPEG, GIF, WebP, BMP) and a <code>captions.tsv</code> beside
            them with one <code>image&lt;TAB&gt;caption</code> line per caption (several per image
            are fine), as a zip or a folder. Each image is cut to its centre square and resized to
            64×64. At least 10 images; 10% (at most 50) are held out to measure exact match.
          </p>
          <div className="row">
            <label>
              Zip
              <input
                type="file"
                accept=".zip,application/zip"
                data-testid="train-caption-zip"
                disabled={busy}
                onChange={(e) => {
                  const f = e.target.files?.[0];
                  if (f) void onImages({ zip: f }, f.name);
                }}
              />
            </label>
            <label>
              Folder
              <input
                type="file"
                data-testid="train-caption-folder"
                disabled={busy}
                {...{ webkitdirectory: '' }}
                onChange={(e) =>
                  void onImages({ folder: [...(e.target.files ?? [])] }, 'the folder')
                }
              />
            </label>
          </div>
          {busy ? <p className="muted small">reading the images…</p> : null}
        </>
      ) : (
        <>
          <p className="muted small">
            A CSV (comma, semicolon or tab) with a header row and a column with a number in every
            row, oldest first, evenly spaced in time (e.g. monthly). The last values are held out
            and forecast by an LSTM (the RNN lab’s forecaster), compared with a seasonal-naive
            forecast. At least 48 rows.
          </p>
          <input
            type="file"
            accept=".csv,.tsv,.txt,text/csv"
            data-testid="train-series-file"
            aria-label="Time series (CSV)"
            onChange={(e) => onCsv(e.target.files?.[0])}
          />
          {series ? (
            <div className="row">
              <label>
                Column
                <select
                  data-testid="train-series-column"
                  value={series.column}
                  onChange={(e) => pick({ ...series, column: e.target.value })}
                >
                  {Object.keys(series.columns).map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Hold out and forecast the last
                <input
                  type="number"
                  data-testid="train-series-horizon"
                  value={series.horizon}
                  onChange={(e) => pick({ ...series, horizon: e.target.valueAsNumber })}
                />
              </label>
              <label>
                Season length (steps)
                <input
                  type="number"
                  data-testid="train-series-period"
                  value={series.period}
                  onChange={(e) => pick({ ...series, period: e.target.valueAsNumber })}
                />
              </label>
            </div>
          ) : null}
        </>
      )}
      {errors ? (
        <div role="alert" className="error-text" data-testid="train-errors">
          <p>{errors.name} cannot be trained on:</p>
          <ul>
            {errors.list.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
          {errors.more ? <p>… and {errors.more} more problems.</p> : null}
        </div>
      ) : null}
      {summary ? <p data-testid="train-data-ok">{summary}</p> : null}
    </section>
  );
}
