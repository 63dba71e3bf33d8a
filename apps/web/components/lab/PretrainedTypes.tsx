'use client';
// Section 1's two shipped encoder-decoder models: the captioner (one-to-many) and the translator
// (many-to-many), each in its own app worker, started only when the reader asks.
import { generateScene } from '@seqlab/data';
import { useRef, useState } from 'react';
import { captionWorker, translateWorker } from '@/lib/workers';
import { TypeDiagram } from './TypeDiagram';

export function OneToMany() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [words, setWords] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const index = crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000;
      const s = generateScene({ seed: 2026, split: 'test', index });
      const ctx = canvas.current?.getContext('2d');
      ctx?.putImageData(new ImageData(new Uint8ClampedArray(s.data), s.width, s.height), 0, 0);
      const r = await captionWorker().call({
        type: 'caption',
        model: 'caption-shapes',
        image: { width: s.width, height: s.height, data: new Uint8ClampedArray(s.data) },
        opts: {},
      });
      setWords(r.result.tokens);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lab-type">
      <h3>One-to-many: an image → a sentence</h3>
      <TypeDiagram inputs={1} outputs={4} recurrent />
      <p className="small">
        The shipped captioner (caption-shapes): a CNN summarises the image once, then an LSTM
        decoder writes one word per step, each fed back in as the next step's input.
      </p>
      <button type="button" onClick={run} disabled={busy} data-testid="caption-run">
        {busy ? 'Captioning…' : 'Caption a random Shapes scene'}
      </button>
      <div className="row">
        <canvas
          ref={canvas}
          width={64}
          height={64}
          className="lab-scene"
          aria-label="Shapes scene being captioned"
        />
        {words ? (
          <ol className="lab-steps" data-testid="caption-words">
            {words.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the step number is the identity
              <li key={i}>
                step {i + 1}: <strong>{w}</strong>
              </li>
            ))}
          </ol>
        ) : null}
      </div>
      {error ? <p className="error-text">{error}</p> : null}
    </div>
  );
}

export function ManyToMany() {
  const [text, setText] = useState('Open the file');
  const [out, setOut] = useState<{ src: string[]; tgt: string[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await translateWorker().call({
        type: 'translate',
        model: 'translate-en-es',
        text,
        opts: {},
      });
      setOut({ src: r.result.sourceTokens, tgt: r.result.targetTokens });
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="lab-type">
      <h3>Many-to-many: a sentence → a sentence</h3>
      <TypeDiagram inputs={3} outputs={3} recurrent delayed />
      <p className="small">
        The shipped English→Spanish translator: an encoder LSTM reads every source token, then a
        decoder LSTM (with attention) writes target tokens until it emits the end token.
      </p>
      <label className="field block">
        English{' '}
        <input
          data-testid="mt-input"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <button type="button" onClick={run} disabled={busy || !text.trim()} data-testid="mt-run">
        {busy ? 'Translating…' : 'Translate'}
      </button>
      {out ? (
        <p data-testid="mt-tokens">
          {out.src.length} tokens in: {out.src.join(' · ')} → {out.tgt.length} tokens out:{' '}
          <strong>{out.tgt.join(' · ')}</strong>
        </p>
      ) : null}
      {error ? <p className="error-text">{error}</p> : null}
    </div>
  );
}
