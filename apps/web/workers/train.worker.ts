// Web Worker of /train: trains one run at a time (translation or captioning) with @seqlab/train,
// keeps it in IndexedDB, answers "try it", exports and saves model folders. The page validated
// the data; settings are checked again here.

import { env } from '@tensorflow/tfjs-core';
import { zipModelFolder } from '../lib/model-zip';
import { discardRun, putRun, saveModel, storedRun, storedRunData } from '../lib/train-idb';
import {
  type CaptionTrainItem,
  checkSettings,
  type StepPoint,
  type TrainEvent,
  type TrainReply,
  type TrainRequest,
  type TrainSettings,
  type ValidPoint,
} from '../lib/train-protocol';
import { initWorkerBackend } from './backend';
import { CaptionRun } from './caption-run';
import { SeriesRun } from './series-run';
import { TranslateRun } from './translate-run';

// In a cross-origin isolated page tfjs' wasm backend picks its threaded build, whose pthread
// workers cannot start from this bundled module worker (importScripts of a blob fails). Only the
// single-threaded SIMD build works here (as backend.ts says); seqlab's kernels bring their own threads.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const scope = self as unknown as {
  postMessage(m: TrainReply, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

let run: TranslateRun | CaptionRun | SeriesRun | null = null;

function needRun(): TranslateRun | CaptionRun | SeriesRun {
  if (!run) throw new Error('no model in this tab yet: train one (or resume the stored run) first');
  return run;
}

type Start = {
  settings: TrainSettings;
  fileName: string;
  resume: { steps: StepPoint[]; valid: ValidPoint[] } | null;
} & ({ pairs: { source: string; target: string }[] } | { items: CaptionTrainItem[] });

/** Starts a run (new or resumed) and trains it; the request's reply comes when training ends. */
async function startRun(id: number, o: Start): Promise<TrainReply> {
  const emit = (event: TrainEvent) => scope.postMessage({ id, type: 'event', event });
  const problems = checkSettings(o.settings);
  if (problems.length) throw new Error(`settings: ${problems.join('; ')}`);
  run?.dispose();
  run = null;
  emit({ kind: 'state', state: 'preparing' });
  const b = await initWorkerBackend();
  const backend = `tfjs ${b.name} (${b.reason}) runs validation and "try it"`;
  run =
    'pairs' in o
      ? await TranslateRun.create({ ...o, pairs: o.pairs, backend, emit })
      : await CaptionRun.create({
          ...o,
          items: o.items,
          backend: backend.replace('runs', 'runs the captioner, validation and'),
          emit,
        });
  await run.train();
  return { id, type: 'ok' };
}

const stored = (o: { settings: TrainSettings; fileName: string; examples: number }) => ({
  settings: o.settings,
  fileName: o.fileName,
  pairs: o.examples,
  step: 0,
  steps: [],
  valid: [],
  state: 'preparing' as const,
  savedAt: new Date().toISOString(),
});

async function handle(req: TrainRequest): Promise<TrainReply> {
  const id = req.id;
  switch (req.type) {
    case 'stored':
      return { id, type: 'stored', run: await storedRun() };
    case 'discard-stored':
      run?.dispose();
      run = null;
      await discardRun();
      return { id, type: 'ok' };
    case 'start': {
      const { settings, fileName, pairs } = req;
      await putRun({
        info: { task: 'translate', ...stored({ settings, fileName, examples: pairs.length }) },
        pairs,
      });
      return startRun(id, { settings, fileName, pairs, resume: null });
    }
    case 'start-caption': {
      const { settings, fileName, items } = req;
      await putRun({
        info: { task: 'caption', ...stored({ settings, fileName, examples: items.length }) },
        items,
      });
      return startRun(id, { settings, fileName, items, resume: null });
    }
    case 'start-series': {
      // Not stored: the Forecaster has no checkpoint format, so a reload starts over.
      const problems = checkSettings(req.settings);
      if (problems.length) throw new Error(`settings: ${problems.join('; ')}`);
      run?.dispose();
      run = null;
      const emit = (event: TrainEvent) => scope.postMessage({ id, type: 'event', event });
      emit({ kind: 'state', state: 'preparing' });
      const b = await initWorkerBackend();
      run = SeriesRun.create({
        settings: req.settings,
        fileName: req.fileName,
        series: req.series,
        backend: `tfjs ${b.name} (${b.reason})`,
        emit,
      });
      await run.train();
      return { id, type: 'ok' };
    }
    case 'resume-stored': {
      const data = await storedRunData();
      if (!data) throw new Error('IndexedDB holds no training run to resume');
      const { settings, fileName } = data.info;
      const resume = { steps: data.info.steps, valid: data.info.valid };
      if (data.info.task === 'caption') {
        if (!data.items) throw new Error('the stored caption run has no images');
        return startRun(id, { settings, fileName, items: data.items, resume });
      }
      if (!data.pairs) throw new Error('the stored translation run has no sentence pairs');
      return startRun(id, { settings, fileName, pairs: data.pairs, resume });
    }
    case 'control':
      needRun().control(req.action);
      return { id, type: 'ok' };
    case 'translate': {
      const r = needRun();
      if (!(r instanceof TranslateRun))
        throw new Error('this run trains a captioner, not a translator');
      const t0 = performance.now();
      const text = await r.translate(req.text);
      return { id, type: 'translate', text, ms: performance.now() - t0 };
    }
    case 'caption': {
      const r = needRun();
      if (!(r instanceof CaptionRun))
        throw new Error('this run trains a translator, not a captioner');
      const t0 = performance.now();
      const text = await r.caption(req.image);
      return { id, type: 'caption', text, ms: performance.now() - t0 };
    }
    case 'export': {
      const r = needRun();
      if (r instanceof SeriesRun)
        throw new Error('forecasters have no model folder format yet; try the forecast here');
      const files = await r.folder(req.name);
      return {
        id,
        type: 'export',
        zip: zipModelFolder(req.name, files),
        files: Object.keys(files),
      };
    }
    case 'save-model': {
      const r = needRun();
      if (r instanceof SeriesRun)
        throw new Error('forecasters have no model folder format yet; try the forecast here');
      await saveModel(req.name, r.task, await r.folder(req.name));
      return { id, type: 'ok' };
    }
    default:
      throw new Error(
        `train worker: unknown request ${JSON.stringify((req as { type?: unknown }).type)}`,
      );
  }
}

scope.onmessage = (ev: MessageEvent) => {
  const req = ev.data as TrainRequest;
  handle(req).then(
    (reply) =>
      scope.postMessage(reply, reply.type === 'export' ? [reply.zip.buffer as ArrayBuffer] : []),
    (e: unknown) =>
      scope.postMessage({
        id: req?.id ?? 0,
        type: 'error',
        message: (e as Error)?.message ?? String(e),
      }),
  );
};
