// Web Worker of /lab: the language-ID model, translator encoder inspection and every training run.

import { UnrolledRNN } from '@seqlab/lab';
import { type EncoderGatesPipeline, loadEncoderGates } from '@seqlab/models/encoder-gates';
import { type LanguageIdPipeline, loadLanguageId } from '@seqlab/models/language-id';
import type { LSTMGateRecord } from '@seqlab/rnn';
import { memory } from '@tensorflow/tfjs-core';
import {
  type GateView,
  type LabEvent,
  type LabReply,
  type LabRequest,
  parseLabRequest,
} from '../lib/lab-protocol';
import { initWorkerBackend } from './backend';
import { RunControl, trainForecast, trainGradients, trainTagger } from './lab-runs';

const scope = self as unknown as {
  postMessage(m: LabReply): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

let langid: Promise<LanguageIdPipeline> | null = null;
let encoder: Promise<EncoderGatesPipeline> | null = null;
let unrolled: UnrolledRNN | null = null;
const runs = new Map<number, RunControl>();

const getLangid = () => {
  langid ??= initWorkerBackend().then(() => loadLanguageId('/models/langid'));
  langid.catch(() => (langid = null));
  return langid;
};
const getEncoder = () => {
  encoder ??= initWorkerBackend().then(() => loadEncoderGates('/models/translate-en-es'));
  encoder.catch(() => (encoder = null));
  return encoder;
};

function gateView(tokens: string[], r: LSTMGateRecord): GateView {
  const row = (xs: number[][][]) => xs.map((s) => s[0] as number[]);
  return {
    tokens,
    input: row(r.input),
    forget: row(r.forget),
    output: row(r.output),
    cell: row(r.cell),
    hidden: row(r.hidden),
    units: r.forget[0]?.[0]?.length ?? 0,
  };
}

const tensors = () => ({ numTensors: memory().numTensors });

async function handle(req: LabRequest): Promise<LabReply> {
  const id = req.id;
  const emit = (event: LabEvent) => scope.postMessage({ id, type: 'event', event });
  switch (req.type) {
    case 'init':
      return { id, type: 'init', backend: await initWorkerBackend() };
    case 'langid': {
      const lid = await getLangid();
      const t0 = performance.now();
      const result = lid.identify(req.text);
      return {
        id,
        type: 'langid',
        result,
        metrics: { ...lid.metrics },
        ms: performance.now() - t0,
        memory: tensors(),
      };
    }
    case 'langid-word':
      return { id, type: 'langid-word', probs: (await getLangid()).identifyWord(req.word) };
    case 'gates': {
      const t0 = performance.now();
      if (req.source === 'langid') {
        const { chars, record } = (await getLangid()).gates(req.text);
        return {
          id,
          type: 'gates',
          view: gateView(chars, record),
          ms: performance.now() - t0,
          memory: tensors(),
        };
      }
      const { tokens, record } = (await getEncoder()).gates(req.text);
      return {
        id,
        type: 'gates',
        view: gateView(tokens, record),
        ms: performance.now() - t0,
        memory: tensors(),
      };
    }
    case 'unroll': {
      await initWorkerBackend();
      unrolled ??= new UnrolledRNN(8, 1);
      if (req.update === null)
        return { id, type: 'unroll', view: unrolled.unroll(req.text), before: null, after: null };
      const { before, after } = unrolled.update(req.text, req.update);
      return { id, type: 'unroll', view: unrolled.unroll(req.text), before, after };
    }
    case 'control': {
      const run = runs.get(req.run);
      run?.set(req.action);
      return { id, type: 'control', ok: run !== undefined };
    }
    default: {
      await initWorkerBackend();
      const ctl = new RunControl(emit);
      runs.set(id, ctl);
      try {
        if (req.type === 'train-gradients') {
          await trainGradients(req.settings, ctl, emit);
          return { id, type: 'train-gradients', stopped: ctl.stopped, memory: tensors() };
        }
        if (req.type === 'train-tagger') {
          const result = await trainTagger(req.steps, req.time, req.digits, ctl, emit);
          if (!result) throw new Error('unreachable: the tagger always returns a result');
          return { id, type: 'train-tagger', stopped: ctl.stopped, result, memory: tensors() };
        }
        const result = await trainForecast(req.epochs, req.horizon, ctl, emit);
        return { id, type: 'train-forecast', stopped: ctl.stopped, result, memory: tensors() };
      } finally {
        runs.delete(id);
      }
    }
  }
}

// Requests run concurrently: a training run awaits between steps, so inference and control
// messages are answered while it trains (JavaScript still runs one step at a time).
scope.onmessage = (ev: MessageEvent) => {
  const id = typeof ev.data?.id === 'number' ? (ev.data.id as number) : -1;
  (async () => {
    try {
      scope.postMessage(await handle(parseLabRequest(ev.data)));
    } catch (e) {
      scope.postMessage({ id, type: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  })();
};
