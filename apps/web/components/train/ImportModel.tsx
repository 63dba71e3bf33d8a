'use client';
// The body of "Use your own model" on /translate and /caption (ImportModelPanel loads it on open): a model folder as a zip, a picked folder, a URL
// on this site, or one saved in this browser by /train, loaded in a worker of its own and tried.
import { useEffect, useState } from 'react';
import { decodeImageFile, squarePixels } from '@/lib/image-decode';
import { importedCall } from '@/lib/imported-client';
import type { ImportedInfo } from '@/lib/imported-protocol';
import { folderFromFileList, unzipModelFolder } from '@/lib/model-zip';
import { savedModelFiles, savedModels } from '@/lib/train-idb';

export function ImportModel({ task }: { task: 'translate' | 'caption' }) {
  const [info, setInfo] = useState<ImportedInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [saved, setSaved] = useState<{ name: string; task: string }[]>([]);
  const [text, setText] = useState('');
  const [out, setOut] = useState<string | null>(null);

  useEffect(() => {
    savedModels().then(
      (m) => setSaved(m.filter((x) => x.task === task)),
      () => setSaved([]),
    );
  }, [task]);

  const guard = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const loaded = (i: ImportedInfo) => {
    if (i.task !== task)
      throw new Error(`this is a ${i.task} model; this page needs a ${task} model`);
    setInfo(i);
    setOut(null);
  };
  const loadFiles = (files: Record<string, Uint8Array>, where: string) =>
    guard(async () => {
      const r = await importedCall({ type: 'load-files', files, where });
      if (r.type === 'info') loaded(r.info);
    });

  return (
    <div className="import-model" data-testid="import-model">
      <p className="muted small">
        A seqlab model folder (model.json, weights, tokenizer or vocabulary, card.md) as a zip, the
        folder itself, a URL on this site, or a model saved in this browser. It runs here, next to
        the shipped models; nothing is uploaded. <a href="/train">Train one on your data.</a>
      </p>
      <div className="row">
        <label>
          Zip
          <input
            type="file"
            accept=".zip,application/zip"
            data-testid="import-zip"
            disabled={busy}
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (f)
                await loadFiles(
                  unzipModelFolder(new Uint8Array(await f.arrayBuffer()), f.name),
                  f.name,
                );
            }}
          />
        </label>
        <label>
          Folder
          <input
            type="file"
            data-testid="import-folder"
            disabled={busy}
            {...{ webkitdirectory: '' }}
            onChange={(e) =>
              guard(async () => {
                const list = [...(e.target.files ?? [])];
                const files = await folderFromFileList(list, 'the chosen folder');
                const r = await importedCall({ type: 'load-files', files, where: 'folder' });
                if (r.type === 'info') loaded(r.info);
              })
            }
          />
        </label>
      </div>
      <div className="row">
        <label className="grow">
          URL of a model folder on this site
          <input
            data-testid="import-url"
            placeholder="/my-models/en-fr"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <button
          type="button"
          data-testid="import-url-load"
          disabled={busy || !url.trim()}
          onClick={() =>
            guard(async () => {
              const r = await importedCall({ type: 'load-url', url: url.trim() });
              if (r.type === 'info') loaded(r.info);
            })
          }
        >
          Load
        </button>
        {saved.length ? (
          <label>
            Saved in this browser
            <select
              data-testid="import-saved"
              defaultValue=""
              onChange={(e) =>
                guard(async () => {
                  const files = await savedModelFiles(e.target.value);
                  if (!files) throw new Error(`no saved model named ${e.target.value}`);
                  const r = await importedCall({
                    type: 'load-files',
                    files,
                    where: e.target.value,
                  });
                  if (r.type === 'info') loaded(r.info);
                })
              }
            >
              <option value="" disabled>
                choose…
              </option>
              {saved.map((m) => (
                <option key={m.name} value={m.name}>
                  {m.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {busy ? <p className="muted small">loading…</p> : null}
      {error ? (
        <p className="error-text" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      {info ? (
        <div data-testid="import-ready" data-name={info.name}>
          <p>
            <b>{info.title || info.name}</b>
            {info.languages ? ` (${info.languages.source} → ${info.languages.target})` : ''}
            {Object.keys(info.metrics).length
              ? ` — ${Object.entries(info.metrics)
                  .map(([k, v]) => `${k} ${v}`)
                  .join(', ')}`
              : ''}
          </p>
          {task === 'translate' ? (
            <div className="row">
              <label className="grow">
                Text
                <input
                  data-testid="import-text"
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                />
              </label>
              <button
                type="button"
                data-testid="import-translate"
                disabled={busy || !text.trim()}
                onClick={() =>
                  guard(async () => {
                    const r = await importedCall({ type: 'translate', text });
                    if (r.type === 'text') setOut(r.text);
                  })
                }
              >
                Translate
              </button>
            </div>
          ) : (
            <label>
              Image (any size: the centre square is resized to {info.imageSize} px)
              <input
                type="file"
                accept="image/*"
                data-testid="import-image"
                onChange={(e) =>
                  guard(async () => {
                    const f = e.target.files?.[0];
                    if (!f) return;
                    const { bitmap, original } = await decodeImageFile(f);
                    const image = squarePixels(bitmap, original, info.imageSize ?? 64);
                    bitmap.close();
                    const r = await importedCall({ type: 'caption', image });
                    if (r.type === 'text') setOut(r.text);
                  })
                }
              />
            </label>
          )}
          {out !== null ? (
            <p data-testid="import-output" aria-live="polite">
              {out}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
