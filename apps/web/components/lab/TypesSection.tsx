'use client';
import * as Plot from '@observablehq/plot';
// Section 1: the four RNN types, each diagram next to a live model (feed-forward word classifier,
// captioner, language ID, translator).
import { generateScene } from '@seqlab/data';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LabReplyTo } from '@/lib/lab-client';
import { labClient } from '@/lib/lab-client';
import { captionWorker, translateWorker } from '@/lib/workers';
import { OKABE_ITO, PlotFigure } from './PlotFigure';
import { TypeDiagram } from './TypeDiagram';

const LANG_NAMES: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  fr: 'French',
  de: 'German',
};
const LANGS = ['en', 'es', 'fr', 'de'];

type LangIdReply = LabReplyTo<{ type: 'langid'; text: string }>;

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function best(probs: Record<string, number>): string {
  return Object.entries(probs).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function OneToOne() {
  const [word, setWord] = useState('fichier');
  const w = useDebounced(word.trim(), 150);
  const [probs, setProbs] = useState<Record<string, number> | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!w) return;
    let live = true;
    labClient()
      .call({ type: 'langid-word', word: w })
      .then(
        (r) => {
          if (!live) return;
          setProbs(r.probs);
          setError(null);
        },
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, [w]);
  const options = useMemo<Plot.PlotOptions>(
    () => ({
      height: 130,
      marginLeft: 70,
      x: { domain: [0, 1], label: 'probability', grid: true },
      y: { label: null, domain: LANGS.map((l) => LANG_NAMES[l]) },
      color: { domain: LANGS.map((l) => LANG_NAMES[l]), range: OKABE_ITO },
      marks: [
        Plot.barX(
          LANGS.map((l) => ({ lang: LANG_NAMES[l], p: probs?.[l] ?? 0 })),
          { x: 'p', y: 'lang', fill: 'lang' },
        ),
      ],
    }),
    [probs],
  );
  return (
    <div className="lab-type">
      <h3>One-to-one: one word → its language</h3>
      <TypeDiagram inputs={1} outputs={1} recurrent={false} />
      <p className="small">
        A feed-forward network (character counts → 32 ReLU units → 4 languages) sees the whole word
        at once and has no notion of order: it cannot tell “note” from “tone”.
      </p>
      <label className="field">
        Word{' '}
        <input
          data-testid="ff-word"
          value={word}
          maxLength={40}
          onChange={(e) => setWord(e.target.value)}
        />
      </label>
      {error ? <p className="error-text">{error}</p> : null}
      {probs ? (
        <p data-testid="ff-answer" data-language={best(probs)}>
          {LANG_NAMES[best(probs)]} ({(Math.max(...Object.values(probs)) * 100).toFixed(0)}%)
        </p>
      ) : null}
      <PlotFigure options={options} label="Feed-forward classifier: probability per language" />
    </div>
  );
}

function ManyToOne() {
  const [text, setText] = useState('Enregistrer le fichier sous un autre nom');
  const t = useDebounced(text, 120);
  const [reply, setReply] = useState<LangIdReply | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    labClient()
      .call({ type: 'langid', text: t })
      .then(
        (r) => {
          if (!live) return;
          setReply(r);
          setError(null);
        },
        (e: Error) => live && setError(e.message),
      );
    return () => {
      live = false;
    };
  }, [t]);
  const prefixes = reply?.result.prefixes ?? [];
  const options = useMemo<Plot.PlotOptions>(() => {
    const data = prefixes.flatMap((p, i) =>
      LANGS.map((l) => ({ i: i + 1, lang: LANG_NAMES[l], p: p.probs[l] ?? 0 })),
    );
    return {
      height: 220,
      marginBottom: 40,
      x: { label: 'characters read', domain: [1, Math.max(2, prefixes.length)] },
      y: { label: 'probability', domain: [0, 1], grid: true },
      color: { domain: LANGS.map((l) => LANG_NAMES[l]), range: OKABE_ITO, legend: true },
      marks: [
        Plot.lineY(data, {
          x: 'i',
          y: 'p',
          stroke: 'lang',
          strokeWidth: 2,
          marker: prefixes.length < 40 ? 'dot' : null,
        }),
        Plot.ruleY([0]),
      ],
    };
  }, [prefixes]);
  const m = reply?.metrics;
  return (
    <div className="lab-type">
      <h3>Many-to-one: a UI string → its language</h3>
      <TypeDiagram inputs={4} outputs={1} recurrent />
      <p className="small">
        A character-level LSTM reads the string one character at a time; its last hidden state
        decides. The chart reads the same head after every character: watch the guess settle as you
        type.
      </p>
      <label className="field block">
        Text{' '}
        <input
          data-testid="langid-input"
          value={text}
          maxLength={200}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {error ? <p className="error-text">{error}</p> : null}
      {reply && prefixes.length > 0 ? (
        <p
          data-testid="langid-answer"
          data-language={reply.result.language}
          data-steps={prefixes.length}
          data-tensors={reply.memory.numTensors}
        >
          <strong>{LANG_NAMES[reply.result.language]}</strong> (
          {((reply.result.probs[reply.result.language] ?? 0) * 100).toFixed(0)}% after{' '}
          {prefixes.length} characters)
        </p>
      ) : null}
      <PlotFigure
        testId="langid-chart"
        options={options}
        label="Language-ID LSTM: probability of each language after each character"
      />
      {m ? (
        <p className="muted small" data-testid="langid-card">
          Model card (models/langid): held-out test accuracy {(100 * (m.accuracy ?? 0)).toFixed(1)}
          %; on strings of at most 20 characters {(100 * (m.shortAccuracy ?? 0)).toFixed(1)}%; from
          the first 10 characters only {(100 * (m.first10Accuracy ?? 0)).toFixed(1)}%; feed-forward
          on single words {(100 * (m.wordAccuracy ?? 0)).toFixed(1)}%.
        </p>
      ) : null}
    </div>
  );
}

function OneToMany() {
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

function ManyToMany() {
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

export function TypesSection() {
  return (
    <div className="lab-types">
      <OneToOne />
      <OneToMany />
      <ManyToOne />
      <ManyToMany />
    </div>
  );
}
