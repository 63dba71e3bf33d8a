'use client';
// The hook every training section shares: a run in the lab worker with pause/resume/stop.
import { useCallback, useEffect, useRef, useState } from 'react';
import { labClient } from '@/lib/lab-client';
import type { LabEvent, LabRequestBody } from '@/lib/lab-protocol';

export type RunState = 'idle' | 'running' | 'paused' | 'done' | 'stopped' | 'error';

/**
 * Starts training runs in the lab worker. Events are buffered and handed to `onEvents` at most
 * every `flushMs`, so charts re-render a few times a second however fast the worker steps.
 * @example const run = useTraining((events) => …); run.start({ type: 'train-forecast', epochs: 30, horizon: 36 });
 */
export function useTraining<B extends LabRequestBody>(
  onEvents: (events: LabEvent[]) => void,
  flushMs = 400,
) {
  const [state, setState] = useState<RunState>('idle');
  const [error, setError] = useState<string | null>(null);
  /** Tensors alive in the worker after the last run ended (the same after every run: no leak). */
  const [tensors, setTensors] = useState<number | null>(null);
  const runId = useRef<number | null>(null);
  const buffer = useRef<LabEvent[]>([]);
  const handler = useRef(onEvents);
  handler.current = onEvents;

  useEffect(() => {
    const t = setInterval(() => {
      if (buffer.current.length === 0) return;
      const events = buffer.current;
      buffer.current = [];
      handler.current(events);
    }, flushMs);
    return () => clearInterval(t);
  }, [flushMs]);

  const start = useCallback(async (body: B) => {
    if (runId.current !== null) labClient().control(runId.current, 'stop');
    setError(null);
    setState('running');
    const { id, reply } = labClient().start(body, (e) => {
      if (e.kind === 'state') setState(e.state);
      else buffer.current.push(e);
    });
    runId.current = id;
    try {
      const r = await reply;
      // Flush what is left before the final reply is shown.
      if (buffer.current.length > 0) {
        handler.current(buffer.current);
        buffer.current = [];
      }
      if ('memory' in r) setTensors(r.memory.numTensors);
      if (runId.current === id) {
        runId.current = null;
        setState('stopped' in r && r.stopped ? 'stopped' : 'done');
      }
      return r;
    } catch (e) {
      if (runId.current === id) runId.current = null;
      setState('error');
      setError(e instanceof Error ? e.message : String(e));
      return null;
    }
  }, []);

  const control = useCallback((action: 'pause' | 'resume' | 'stop') => {
    if (runId.current !== null) labClient().control(runId.current, action);
  }, []);

  useEffect(() => () => control('stop'), [control]);
  return { state, error, tensors, start, control };
}
