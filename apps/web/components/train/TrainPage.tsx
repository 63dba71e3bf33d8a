'use client';
// /train: bring a TSV of sentence pairs, validate it here, train a translator in a Web Worker with
// live charts, pause/resume/stop, resume after a reload (IndexedDB), then try, export or save it.
import { useEffect, useMemo, useRef, useState } from 'react';
import { type TrainClient, trainClient } from '@/lib/train-client';
import {
  checkSettings,
  DEFAULT_SETTINGS,
  type EngineInfo,
  type ForecastView,
  type RunState,
  type StepPoint,
  type StoredRunInfo,
  type TrainEvent,
  type TrainSettings,
  type TrainTask,
  type ValidPoint,
} from '@/lib/train-protocol';
import { DataInput, type TrainData } from './DataInput';
import { ForecastChart } from './ForecastChart';
import { SettingsForm } from './SettingsForm';
import { TrainCharts } from './TrainCharts';
import { UseModel } from './UseModel';

export function TrainPage() {
  const client = useRef<TrainClient | null>(null);
  const [task, setTask] = useState<TrainTask>('translate');
  const [data, setData] = useState<TrainData | null>(null);
  const [settings, setSettings] = useState<TrainSettings>(DEFAULT_SETTINGS);
  const [state, setState] = useState<RunState>('idle');
  const [stored, setStored] = useState<StoredRunInfo | null>(null);
  const [engine, setEngine] = useState<{
    engine: EngineInfo;
    backend: string;
    summary: string;
    step: number;
  } | null>(null);
  const [steps, setSteps] = useState<StepPoint[]>([]);
  const [valid, setValid] = useState<ValidPoint[]>([]);
  /** The task of the run in the worker (what "Use it" tries). */
  const [runTask, setRunTask] = useState<TrainTask>('translate');
  const [tensors, setTensors] = useState<number | null>(null);
  const [forecast, setForecast] = useState<ForecastView | null>(null);
  const [checkpoint, setCheckpoint] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    client.current = trainClient();
    client.current.call({ type: 'stored' }).then(
      (r) => setStored(r.run && r.run.step > 0 ? r.run : null),
      (e: Error) => setError(`IndexedDB: ${e.message}`),
    );
  }, []);

  const onEvent = (e: TrainEvent) => {
    if (e.kind === 'state') {
      setState(e.state);
      if (e.tensors !== undefined) setTensors(e.tensors);
    } else if (e.kind === 'prepared') {
      setEngine({ engine: e.engine, backend: e.backend, summary: e.summary, step: e.step });
    } else if (e.kind === 'steps') setSteps((s) => [...s, ...e.points]);
    else if (e.kind === 'valid') setValid((v) => [...v, e.point]);
    else if (e.kind === 'checkpoint') setCheckpoint(e.step);
    else if (e.kind === 'forecast') setForecast(e.forecast);
  };

  const run = async (body: Parameters<TrainClient['call']>[0]) => {
    const c = client.current;
    if (!c) return;
    setError(null);
    setSteps([]);
    setValid([]);
    setCheckpoint(null);
    setEngine(null);
    setStored(null);
    setState('preparing');
    setForecast(null);
    setRunTask(
      body.type === 'start-caption'
        ? 'caption'
        : body.type === 'start'
          ? 'translate'
          : (stored?.task ?? 'translate'),
    );
    try {
      await c.call(body, onEvent);
    } catch (e) {
      setState('error');
      setError((e as Error).message);
    }
  };

  const problems = useMemo(() => checkSettings(settings), [settings]);
  const active = state === 'preparing' || state === 'running' || state === 'paused';
  const canTrain = data !== null && problems.length === 0 && !active;
  const last = steps.at(-1);
  const lastValid = valid.at(-1);
  const control = (action: 'pause' | 'resume' | 'stop') =>
    client.current?.call({ type: 'control', action }).catch((e: Error) => setError(e.message));

  return (
    <div className="train">
      <h1>Train on your own data</h1>
      <p>
        Everything happens in this tab: the data is checked here, a Web Worker trains an LSTM
        encoder-decoder with attention on it (the same trainer and model as{' '}
        <code>pnpm seqlab train translate</code>), and the result is a model folder that the command
        line, <code>load()</code> in Node and this app all open.
      </p>
      {stored ? (
        <div className="train-stored" data-testid="train-stored" role="status">
          A {stored.task === 'caption' ? 'captioning' : 'translation'} run on {stored.fileName} (
          {stored.pairs} {stored.task === 'caption' ? 'images' : 'pairs'}) is stored in this browser
          at step <b data-testid="train-stored-step">{stored.step}</b> of {stored.settings.steps}.{' '}
          <button
            type="button"
            data-testid="train-resume-stored"
            onClick={() => run({ type: 'resume-stored' })}
          >
            Resume it
          </button>{' '}
          <button
            type="button"
            onClick={() =>
              client.current?.call({ type: 'discard-stored' }).then(() => setStored(null))
            }
          >
            Discard it
          </button>
        </div>
      ) : null}
      <fieldset className="train-task">
        <legend>What to train</legend>
        {(
          [
            ['translate', 'A translator (sentence pairs)'],
            ['caption', 'An image captioner (images + captions.tsv)'],
            ['series', 'A forecaster (a time series in a CSV)'],
          ] as const
        ).map(([t, label]) => (
          <label key={t}>
            <input
              type="radio"
              name="task"
              value={t}
              data-testid={`train-task-${t}`}
              checked={task === t}
              disabled={active}
              onChange={() => {
                setTask(t);
                setData(null);
              }}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <DataInput key={task} task={task} onData={setData} />
      <section aria-labelledby="train-h">
        <h2 id="train-h">2. Train</h2>
        <SettingsForm task={task} value={settings} onChange={setSettings} disabled={active} />
        {problems.length ? (
          <ul className="error-text" role="alert" data-testid="train-settings-errors">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : null}
        <div className="row train-run">
          <button
            type="button"
            data-testid="train-start"
            disabled={!canTrain}
            onClick={() => {
              if (data?.task === 'translate')
                run({ type: 'start', settings, fileName: data.name, pairs: data.pairs });
              else if (data?.task === 'caption')
                run({ type: 'start-caption', settings, fileName: data.name, items: data.items });
              else if (data?.task === 'series')
                run({
                  type: 'start-series',
                  settings,
                  fileName: data.name,
                  series: {
                    values: data.values,
                    column: data.column,
                    horizon: data.horizon,
                    period: data.period,
                  },
                });
            }}
          >
            Train
          </button>
          <button
            type="button"
            data-testid="train-pause"
            disabled={state !== 'running'}
            onClick={() => control('pause')}
          >
            Pause
          </button>
          <button
            type="button"
            data-testid="train-resume"
            disabled={state !== 'paused'}
            onClick={() => control('resume')}
          >
            Resume
          </button>
          <button
            type="button"
            data-testid="train-stop"
            disabled={state !== 'running' && state !== 'paused'}
            onClick={() => control('stop')}
          >
            Stop
          </button>
          {tensors !== null ? (
            <span className="muted small" data-testid="train-tensors" data-tensors={tensors}>
              (tensors in the worker: {tensors})
            </span>
          ) : null}
          <span
            className="muted small"
            data-testid="train-state"
            data-state={state}
            aria-live="polite"
          >
            {state}
          </span>
        </div>
        {engine ? (
          <p
            className="small"
            data-testid="train-engine"
            data-engine={engine.engine.name}
            data-threads={engine.engine.threads}
            data-resumed-from={engine.step}
          >
            Training on: {engine.engine.detail}. {engine.backend}. {engine.summary}
            {engine.step > 0 ? ` Resumed from the checkpoint at step ${engine.step}.` : ''}
          </p>
        ) : null}
        {last ? (
          <p
            className="small"
            data-testid="train-last"
            data-step={last.step}
            data-loss={last.loss}
            data-first-step={steps[0]?.step}
            data-first-loss={steps[0]?.loss}
          >
            {runTask === 'series' ? 'epoch' : 'step'} {last.step}: loss {last.loss.toFixed(3)}
            {Number.isFinite(last.gradNorm) ? `, gradient norm ${last.gradNorm.toFixed(2)}` : ''},{' '}
            {Math.round(last.tokensPerSec).toLocaleString('en')}{' '}
            {runTask === 'series' ? 'windows' : 'tokens'}/s
            {lastValid
              ? `; held-out ${Object.entries(lastValid.scores)
                  .map(([k, v]) => `${k} ${v.toFixed(1)}`)
                  .join(', ')} (step ${lastValid.step})`
              : ''}
            {checkpoint !== null ? (
              <span data-testid="train-checkpoint" data-step={checkpoint}>
                ; checkpoint in this browser at step {checkpoint}
              </span>
            ) : null}
          </p>
        ) : null}
        {error ? (
          <p className="error-text" role="alert" data-testid="train-error">
            {error}
          </p>
        ) : null}
        {steps.length ? (
          <TrainCharts
            steps={steps}
            valid={valid}
            {...(runTask === 'series' ? { speedUnit: 'windows', stepUnit: 'epoch' } : {})}
          />
        ) : null}
      </section>
      {forecast ? <ForecastChart f={forecast} /> : null}
      {client.current && runTask !== 'series' ? (
        <UseModel
          client={client.current}
          task={runTask}
          ready={steps.length > 0 && state !== 'preparing'}
        />
      ) : null}
    </div>
  );
}
