// Web Worker of /train: validates nothing itself (the page did), trains one run at a time with
// @seqlab/train, keeps it in IndexedDB, answers "try it", exports and saves model folders.

import { zipModelFolder } from '../lib/model-zip';
import { discardRun, putRun, saveModel, storedRun, storedRunData } from '../lib/train-idb';
import {
  checkSettings,
  type StoredRunInfo,
  type TrainEvent,
  type TrainReply,
  type TrainRequest,
} from '../lib/train-protocol';
import { initWorkerBackend } from './backend';
import { TranslateRun } from './train-run';

const scope = self as unknown as {
  postMessage(m: TrainReply, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

let run: TranslateRun | null = null;

function needRun(): TranslateRun {
  if (!run) throw new Error('no model in this tab yet: train one (or resume the stored run) first');
  return run;
}

/** Starts a run (new or resumed) and trains it; the request's reply comes when training ends. */
async function startRun(
  id: number,
  o: Omit<Parameters<typeof TranslateRun.create>[0], 'emit' | 'backend'>,
): Promise<TrainReply> {
  const emit = (event: TrainEvent) => scope.postMessage({ id, type: 'event', event });
  const problems = checkSettings(o.settings);
  if (problems.length) throw new Error(`settings: ${problems.join('; ')}`);
  run?.dispose();
  run = null;
  emit({ kind: 'state', state: 'preparing' });
  const backend = await initWorkerBackend();
  const r = await TranslateRun.create({
    ...o,
    backend: `tfjs ${backend.name} (${backend.reason}) decodes for validation and "try it"`,
    emit,
  });
  run = r;
  await r.train();
  return { id, type: 'ok' };
}

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
      const info: StoredRunInfo = {
        settings: req.settings,
        fileName: req.fileName,
        pairs: req.pairs.length,
        step: 0,
        steps: [],
        valid: [],
        state: 'preparing',
        savedAt: new Date().toISOString(),
      };
      await putRun(info, req.pairs);
      return startRun(id, {
        settings: req.settings,
        fileName: req.fileName,
        pairs: req.pairs,
        resume: null,
      });
    }
    case 'resume-stored': {
      const data = await storedRunData();
      if (!data) throw new Error('IndexedDB holds no training run to resume');
      return startRun(id, {
        settings: data.info.settings,
        fileName: data.info.fileName,
        pairs: data.pairs,
        resume: { steps: data.info.steps, valid: data.info.valid },
      });
    }
    case 'control':
      needRun().control(req.action);
      return { id, type: 'ok' };
    case 'translate': {
      const t0 = performance.now();
      const text = await needRun().translate(req.text);
      return { id, type: 'translate', text, ms: performance.now() - t0 };
    }
    case 'export': {
      const files = await needRun().folder(req.name);
      return {
        id,
        type: 'export',
        zip: zipModelFolder(req.name, files),
        files: Object.keys(files),
      };
    }
    case 'save-model': {
      const files = await needRun().folder(req.name);
      await saveModel(req.name, 'translate', files);
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
