'use client';
// Section 1: the four RNN types, each diagram next to a live model; the language-ID pair
// (feed-forward word classifier, character LSTM) here, the captioner and translator in PretrainedTypes.
import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useState } from 'react';
import type { LabReplyTo } from '@/lib/lab-client';
import { labClient } from '@/lib/lab-client';
import { OKABE_ITO, PlotFigure } from './PlotFigure';
import { ManyToMany, OneToMany } from './PretrainedTypes';
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
