'use client';
// Use the trained model: try it at once, export the model folder as a zip, save it in this browser.
import { useState } from 'react';
import { decodeImageFile, squarePixels } from '@/lib/image-decode';
import type { TrainClient } from '@/lib/train-client';
import { CAPTION_IMAGE_SIZE, type TrainTask } from '@/lib/train-protocol';

export function UseModel({
  client,
  task,
  ready,
}: {
  client: TrainClient;
  task: TrainTask;
  ready: boolean;
}) {
  const [text, setText] = useState('');
  const [out, setOut] = useState<{ source: string; text: string; ms: number } | null>(null);
  const [name, setName] = useState(task === 'caption' ? 'my-captioner' : 'my-translator');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const guard = async (fn: () => Promise<void>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const translate = () =>
    guard(async () => {
      const r = await client.call({ type: 'translate', text });
      setOut({ source: text, text: r.text, ms: r.ms });
    });
  const caption = (file: File | undefined) =>
    guard(async () => {
      if (!file) return;
      const { bitmap, original } = await decodeImageFile(file);
      // As the training images were prepared: centre square, resized by the canvas.
      const image = squarePixels(bitmap, original, CAPTION_IMAGE_SIZE);
      bitmap.close();
      const r = await client.call({ type: 'caption', image });
      setOut({ source: file.name, text: r.text, ms: r.ms });
    });
  const exportZip = () =>
    guard(async () => {
      const r = await client.call({ type: 'export', name });
      const url = URL.createObjectURL(new Blob([r.zip as BlobPart], { type: 'application/zip' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}.zip`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setNote(`${name}.zip: ${r.files.join(', ')} (${(r.zip.length / 1024).toFixed(0)} kB)`);
    });
  const save = () =>
    guard(async () => {
      await client.call({ type: 'save-model', name });
      setNote(`saved in this browser as “${name}”: “Use your own model” on /${task} offers it`);
    });
  return (
    <section aria-labelledby="use-h">
      <h2 id="use-h">3. Use it</h2>
      <p className="muted small">
        While it trains, trying it uses the current weights; once training ends it uses the exported
        folder, loaded the way <code>load()</code> loads it.
      </p>
      {task === 'translate' ? (
        <div className="row">
          <label className="grow">
            Text to translate
            <input
              data-testid="train-try-input"
              value={text}
              onChange={(e) => setText(e.target.value)}
              disabled={!ready}
            />
          </label>
          <button
            type="button"
            data-testid="train-try"
            disabled={!ready || !text}
            onClick={translate}
          >
            Translate
          </button>
        </div>
      ) : (
        <label>
          An image to caption (any size)
          <input
            type="file"
            accept="image/*"
            data-testid="train-try-image"
            disabled={!ready}
            onChange={(e) => caption(e.target.files?.[0])}
          />
        </label>
      )}
      {out ? (
        <p data-testid="train-try-output" data-source={out.source} aria-live="polite">
          <span data-testid="train-try-text">{out.text}</span>{' '}
          <span className="muted small">({out.ms.toFixed(0)} ms)</span>
        </p>
      ) : null}
      <div className="row">
        <label>
          Model name
          <input data-testid="train-name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="button" data-testid="train-export" disabled={!ready} onClick={exportZip}>
          Export model folder (.zip)
        </button>
        <button type="button" data-testid="train-save" disabled={!ready} onClick={save}>
          Save in this browser
        </button>
      </div>
      {note ? (
        <p className="muted small" data-testid="train-note">
          {note}
        </p>
      ) : null}
      {error ? (
        <p className="error-text" role="alert" data-testid="train-use-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
