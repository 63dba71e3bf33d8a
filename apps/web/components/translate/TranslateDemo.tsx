'use client';
import { missingPlaceholders, shownPlaceholders } from '@seqlab/text';
// The /translate demo: type English, get Spanish, French or German as you type, with attention.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CopyButton } from '@/components/common/CopyButton';
import { DecodingOptions } from '@/components/common/DecodingOptions';
import { ModelCard } from '@/components/common/ModelCard';
import { ModelStatus } from '@/components/common/ModelStatus';
import { NBestList } from '@/components/common/NBestList';
import { PlaceholderText } from '@/components/common/PlaceholderText';
import { ImportModelPanel } from '@/components/train/ImportModelPanel';
import { debounce } from '@/lib/debounce';
import { LANGUAGES, type LanguageCode, TRANSLATE_EXAMPLES } from '@/lib/examples';
import { LatestOnly, SUPERSEDED } from '@/lib/latest';
import { formatScore } from '@/lib/metrics';
import type { Translation } from '@/lib/model-types';
import { MAX_TEXT_CHARS } from '@/lib/protocol';
import { useModel } from '@/lib/use-model';
import { startEarly, translateWorker } from '@/lib/workers';
import { AttentionHeatmap } from './AttentionHeatmap';

startEarly(translateWorker, 'translate-en-es');

interface Output {
  source: string;
  lang: LanguageCode;
  result: Translation;
  ms: number;
  /** Worker tensors after this translation (rendered as a data attribute for leak checks). */
  tensors?: number;
}

/** Why `text` cannot be translated, or null. */
function inputProblem(text: string): string | null {
  if (text.length > MAX_TEXT_CHARS) {
    return `That is ${text.length.toLocaleString('en')} characters; the models translate software strings of up to ${MAX_TEXT_CHARS.toLocaleString('en')} characters. Shorten the text to translate it.`;
  }
  return null;
}

export function TranslateDemo() {
  const [text, setText] = useState<string>(TRANSLATE_EXAMPLES[0] ?? '');
  const [lang, setLang] = useState<LanguageCode>('es');
  const [useBeam, setUseBeam] = useState(false);
  const [beamWidth, setBeamWidth] = useState(4);
  const [out, setOut] = useState<Output | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const modelName = LANGUAGES.find((l) => l.code === lang)?.model ?? 'translate-en-es';
  const langName = LANGUAGES.find((l) => l.code === lang)?.name ?? lang;
  const state = useModel(translateWorker, modelName);
  const ready = state.model.status === 'ready';
  const beam = useBeam ? beamWidth : 1;

  const runner = useRef(new LatestOnly());
  const run = useCallback(
    async (source: string, code: LanguageCode, model: string, width: number) => {
      const trimmed = source.trim();
      const problem = inputProblem(source);
      if (problem || !trimmed) {
        setError(problem);
        setOut(null);
        return;
      }
      setBusy(true);
      try {
        const r = await runner.current.run(() =>
          translateWorker().call({
            type: 'translate',
            model,
            text: trimmed,
            opts: { beam: width, nBest: width },
          }),
        );
        if (r === SUPERSEDED) return;
        setOut({
          source: trimmed,
          lang: code,
          result: r.result,
          ms: r.ms,
          tensors: r.memory?.numTensors,
        });
        setError(null);
      } catch (e) {
        setError(`Translation failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        if (!runner.current.busy) setBusy(false);
      }
    },
    [],
  );
  const debounced = useMemo(() => debounce(run, 250), [run]);
  useEffect(() => () => debounced.cancel(), [debounced]);

  // Keystrokes are debounced; a new language, beam width or a freshly loaded model translate at once.
  const latest = useRef({ text, lang, modelName, beam });
  latest.current = { text, lang, modelName, beam };
  // biome-ignore lint/correctness/useExhaustiveDependencies: modelName and beam are triggers; values are read from `latest`.
  useEffect(() => {
    if (!ready) return;
    debounced.cancel();
    const l = latest.current;
    void run(l.text, l.lang, l.modelName, l.beam);
  }, [ready, modelName, beam, run, debounced]);
  const onText = (v: string) => {
    setText(v);
    const problem = inputProblem(v);
    if (problem) {
      debounced.cancel();
      setError(problem);
      return;
    }
    if (ready) debounced(v, lang, modelName, beam);
  };

  const sourcePlaceholders = shownPlaceholders(text);
  const result = out?.result;
  const lost = out ? missingPlaceholders(out.source, out.result.text) : [];

  return (
    <div className="demo">
      <h1>Translate</h1>
      <p className="lede">
        English software strings into Spanish, French or German by an LSTM encoder-decoder with
        attention, running in your browser. Placeholders such as <span className="chip">%s</span>{' '}
        and <span className="chip">{'{name}'}</span> are kept as they are.
      </p>
      <ModelStatus state={state} label={`the English → ${langName} model`} />

      <div className="controls">
        <label className="field">
          <span>Translate into</span>
          <select
            value={lang}
            onChange={(e) => setLang(e.target.value as LanguageCode)}
            data-testid="language"
          >
            {LANGUAGES.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </label>
        <DecodingOptions
          name="decoding"
          useBeam={useBeam}
          onUseBeam={setUseBeam}
          width={beamWidth}
          onWidth={setBeamWidth}
          testId="beam"
        />
      </div>

      <label className="field block" htmlFor="source">
        <span>English text</span>
      </label>
      <textarea
        id="source"
        lang="en"
        rows={3}
        value={text}
        onChange={(e) => onText(e.target.value)}
        spellCheck
        data-testid="source"
        placeholder="Type or paste an English software string…"
      />
      <div className="row small">
        <span className={text.length > MAX_TEXT_CHARS ? 'error-text' : 'muted'}>
          {text.length.toLocaleString('en')} / {MAX_TEXT_CHARS.toLocaleString('en')} characters
        </span>
        {sourcePlaceholders.length > 0 ? (
          <span data-testid="source-placeholders">
            Placeholders:{' '}
            {sourcePlaceholders.map((p, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: positional.
              <span key={i} className="chip">
                {p}
              </span>
            ))}
          </span>
        ) : null}
      </div>
      {/* biome-ignore lint/a11y/useSemanticElements: a row of buttons, not a form section. */}
      <div className="examples" role="group" aria-label="Examples">
        <span className="muted small">Try:</span>
        {TRANSLATE_EXAMPLES.map((ex) => (
          <button key={ex} type="button" className="example" onClick={() => onText(ex)}>
            {ex}
          </button>
        ))}
      </div>

      {error ? (
        <p className="error" role="alert" data-testid="translate-error">
          {error}
        </p>
      ) : null}
      {!text.trim() ? (
        <p className="muted">Type an English sentence above to see its translation.</p>
      ) : null}

      <section className="result" aria-labelledby="result-h" aria-busy={busy}>
        <h2 id="result-h">{langName}</h2>
        <output
          className="translation"
          lang={out?.lang ?? lang}
          data-testid="translation"
          data-source={out?.source}
          htmlFor="source"
        >
          {result ? (
            <PlaceholderText text={result.text} />
          ) : (
            <span className="muted">
              {ready
                ? '…'
                : state.model.status === 'error'
                  ? 'No translation: the model did not load.'
                  : 'Waiting for the model…'}
            </span>
          )}
        </output>
        <div className="row">
          <CopyButton text={result?.text ?? ''} />
          {out ? (
            <span className="muted small" data-testid="timing" data-tensors={out.tensors}>
              {Math.round(out.ms * 10) / 10} ms · {beam > 1 ? `beam ${beam}` : 'greedy'} · score{' '}
              {formatScore(out.result.score)}
            </span>
          ) : null}
        </div>
        {lost.length > 0 ? (
          <p className="error" role="status">
            The translation lost {lost.join(', ')}; check it before use.
          </p>
        ) : null}
        {result ? <NBestList items={result.nBest} lang={out?.lang} /> : null}
        {result && result.attention.length === 0 ? (
          <p className="muted small">
            No attention map: the model produced no target tokens for this text.
          </p>
        ) : null}
        {result && result.attention.length > 0 ? (
          <AttentionHeatmap
            sourceTokens={result.sourceTokens}
            targetTokens={result.targetTokens}
            attention={result.attention}
            targetLang={out?.lang}
          />
        ) : null}
      </section>
      {state.model.status === 'ready' ? <ModelCard card={state.model.info.card} /> : null}
      <ImportModelPanel task="translate" />
    </div>
  );
}
