'use client';
// The /caption demo: pick an input, the one-to-many decoder writes a sentence and shows where it looked.
import { type KeyboardEvent, useCallback, useEffect, useRef, useState } from 'react';
import { DecodingOptions } from '@/components/common/DecodingOptions';
import { ModelCard } from '@/components/common/ModelCard';
import { ModelStatus } from '@/components/common/ModelStatus';
import { NBestList } from '@/components/common/NBestList';
import { ImportModelPanel } from '@/components/train/ImportModelPanel';
import { resizePixels } from '@/lib/image-decode';
import { LatestOnly, SUPERSEDED } from '@/lib/latest';
import { formatScore } from '@/lib/metrics';
import type { Caption } from '@/lib/model-types';
import { useModel } from '@/lib/use-model';
import { captionWorker, startEarly } from '@/lib/workers';
import { AttentionOverlay } from './AttentionOverlay';
import { DrawInput } from './DrawInput';
import { EmojiGallery } from './EmojiGallery';
import { FileInput } from './FileInput';
import { ShapesInput } from './ShapesInput';
import type { CaptionInput, InputKind } from './types';
import { WebcamInput } from './WebcamInput';

startEarly(captionWorker, 'caption-shapes');

const TABS: { kind: InputKind; label: string }[] = [
  { kind: 'shapes', label: 'Shapes scene' },
  { kind: 'draw', label: 'Draw' },
  { kind: 'file', label: 'Image file' },
  { kind: 'camera', label: 'Webcam' },
  { kind: 'emoji', label: 'Emoji' },
];

const MODELS = [
  {
    name: 'caption-shapes',
    label: 'Shapes model',
    world: 'Shapes scenes (coloured circles, squares, triangles and stars)',
  },
  { name: 'caption-emoji', label: 'Emoji model', world: 'emoji drawings in three styles' },
] as const;
type ModelName = (typeof MODELS)[number]['name'];

/** The model a tab starts with: emoji for the gallery, Shapes for scenes and drawings, else unchanged. */
function defaultModel(kind: InputKind, current: ModelName): ModelName {
  if (kind === 'emoji') return 'caption-emoji';
  if (kind === 'shapes' || kind === 'draw') return 'caption-shapes';
  return current;
}

export function CaptionDemo() {
  const [tab, setTab] = useState<InputKind>('shapes');
  const [modelName, setModelName] = useState<ModelName>('caption-shapes');
  const [input, setInput] = useState<CaptionInput | null>(null);
  const [useBeam, setUseBeam] = useState(false);
  const [beamWidth, setBeamWidth] = useState(3);
  const [closedChoice, setClosedChoice] = useState(true);
  const [result, setResult] = useState<{
    caption: Caption;
    ms: number;
    input: CaptionInput;
    closed: boolean;
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const state = useModel(captionWorker, modelName);
  const ready = state.model.status === 'ready';
  const imageSize = state.model.status === 'ready' ? (state.model.info.imageSize ?? 64) : 64;
  // Closed-set decoding (only captions seen in training) where the model offers it: emoji names.
  const closedAvailable = state.model.status === 'ready' && state.model.info.closedSet === true;
  const closed = closedAvailable && closedChoice;
  const beam = useBeam ? beamWidth : 1;
  const model = MODELS.find((m) => m.name === modelName) ?? MODELS[0];

  const onImage = useCallback((i: CaptionInput) => {
    setInput(i);
    setError(null);
  }, []);
  const onError = useCallback((m: string) => setError(m), []);
  const choose = (kind: InputKind) => {
    setTab(kind);
    setModelName((m) => defaultModel(kind, m));
    setError(null);
  };
  // Tabs pattern: arrow keys move between tabs, and only the selected tab is in the Tab order.
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const i = TABS.findIndex((t) => t.kind === tab);
    const next = TABS[(i + step + TABS.length) % TABS.length];
    if (!next) return;
    e.preventDefault();
    choose(next.kind);
    document.getElementById(`tab-${next.kind}`)?.focus();
  };

  const runner = useRef(new LatestOnly());
  useEffect(() => {
    if (!ready || !input) return;
    let live = true;
    const image = resizePixels(input.pixels, imageSize);
    runner.current
      .run(() =>
        captionWorker().call(
          { type: 'caption', model: modelName, image, opts: { beam, nBest: beam, closed } },
          undefined,
          [image.data.buffer],
        ),
      )
      .then(
        (r) => {
          if (r === SUPERSEDED || !live) return;
          setResult({ caption: r.result, ms: r.ms, input, closed });
        },
        (e: Error) => live && setError(`Captioning failed: ${e.message}`),
      );
    return () => {
      live = false;
    };
  }, [ready, input, modelName, beam, imageSize, closed]);

  // Shown only for the current input and decoding mode (a reply to an older request is stale).
  const caption =
    result && result.input === input && result.closed === closed ? result.caption : null;
  const truth = input?.truth;
  const matches = caption && truth ? truth.includes(caption.text) : null;
  const outOfWorld =
    input &&
    (input.kind === 'file' ||
      input.kind === 'camera' ||
      (input.kind === 'emoji') !== (modelName === 'caption-emoji'));

  return (
    <div className="demo">
      <h1>Caption</h1>
      <p className="lede">
        One image in, a sentence out: a small CNN reads the picture into a grid of features and an
        LSTM decoder with attention writes the caption word by word, in your browser.
      </p>
      <ModelStatus state={state} label={`the ${model.label.toLowerCase()}`} />

      <div className="tabs" role="tablist" aria-label="Image source" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.kind}
            type="button"
            role="tab"
            id={`tab-${t.kind}`}
            aria-selected={tab === t.kind}
            aria-controls="input-panel"
            className={tab === t.kind ? 'selected' : undefined}
            tabIndex={tab === t.kind ? 0 : -1}
            onClick={() => choose(t.kind)}
            data-testid={`tab-${t.kind}`}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div id="input-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === 'shapes' ? <ShapesInput onImage={onImage} onError={onError} /> : null}
        {tab === 'draw' ? <DrawInput onImage={onImage} onError={onError} /> : null}
        {tab === 'file' ? <FileInput onImage={onImage} onError={onError} /> : null}
        {tab === 'camera' ? <WebcamInput onImage={onImage} onError={onError} /> : null}
        {tab === 'emoji' ? <EmojiGallery onImage={onImage} onError={onError} /> : null}
      </div>

      <div className="controls">
        <label className="field">
          <span>Model</span>
          <select
            value={modelName}
            onChange={(e) => setModelName(e.target.value as ModelName)}
            data-testid="caption-model"
          >
            {MODELS.map((m) => (
              <option key={m.name} value={m.name}>
                {m.label}
              </option>
            ))}
          </select>
        </label>
        <DecodingOptions
          name="cap-decoding"
          useBeam={useBeam}
          onUseBeam={setUseBeam}
          width={beamWidth}
          onWidth={setBeamWidth}
          testId="cap-beam"
        />
        {closedAvailable ? (
          <label className="field inline">
            <input
              type="checkbox"
              checked={closedChoice}
              onChange={(e) => setClosedChoice(e.target.checked)}
              data-testid="cap-closed"
            />
            <span>Only captions it was trained on</span>
          </label>
        ) : null}
      </div>

      {error ? (
        <p className="error" role="alert" data-testid="caption-error">
          {error}
        </p>
      ) : null}

      {input ? (
        <section
          className="result caption-result"
          aria-labelledby="caption-h"
          data-testid="caption-result"
        >
          <AttentionOverlay pixels={input.pixels} caption={caption} alt={input.label} />
          <div className="caption-text">
            <h2 id="caption-h">Caption</h2>
            <output className="translation" data-testid="caption">
              {caption ? (
                caption.text
              ) : (
                <span className="muted">
                  {ready
                    ? '…'
                    : state.model.status === 'error'
                      ? 'No caption: the model did not load.'
                      : 'Waiting for the model…'}
                </span>
              )}
            </output>
            {caption && result ? (
              <p className="muted small" data-testid="caption-timing">
                {Math.round(result.ms * 10) / 10} ms · {beam > 1 ? `beam ${beam}` : 'greedy'}
                {result.closed ? ' · known captions only' : ''} · score {formatScore(caption.score)}
              </p>
            ) : null}
            {truth && truth.length > 0 ? (
              <p data-testid="truth">
                <span className="muted">True caption: </span>
                <span data-testid="truth-text">{truth[0]}</span>
                {truth.length > 1 ? (
                  <span className="muted small"> (or: {truth.slice(1).join('; ')})</span>
                ) : null}
                {matches === null ? null : matches ? (
                  <span className="ok"> ✓ matches</span>
                ) : (
                  <span className="miss"> ✗ differs</span>
                )}
              </p>
            ) : null}
            {outOfWorld ? (
              <p className="notice" data-testid="scope-notice">
                The {model.label.toLowerCase()} has only ever seen {model.world}. It will describe
                any picture in those words, so expect a confident but unrelated caption for this
                one.
              </p>
            ) : null}
            {caption ? <NBestList items={caption.nBest} /> : null}
          </div>
        </section>
      ) : null}

      {state.model.status === 'ready' ? <ModelCard card={state.model.info.card} /> : null}
      <details className="model-card">
        <summary>Train a captioner on your own pictures</summary>
        <p>
          These models are small on purpose and know only their own world. To caption your own kind
          of images, put them in a folder with a captions file (one{' '}
          <code>image&lt;TAB&gt;caption</code> line each), describe the run in a config file, and
          train with the seqlab command line:
        </p>
        <pre className="card-md">pnpm seqlab train caption --config my-captions.json</pre>
        <p>
          The result is a model folder (model.json, weights, vocabulary, card.md). Open it below
          under “Use your own model”: as a zip, as the folder itself, or by its URL when it is
          served by this site. Training captioners in the page is not available yet;{' '}
          <a href="/train">/train</a> trains translators.
        </p>
      </details>
      <ImportModelPanel task="caption" />
    </div>
  );
}
