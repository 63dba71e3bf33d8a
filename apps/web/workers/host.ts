// Worker side of the protocol: one lazily loaded model per name, requests served one at a time.
import { memory } from '@tensorflow/tfjs-core';
import type { Captioner, LoadProgress, Translator } from '../lib/model-types';
import { type ModelInfo, parseRequest, type Request, type Response } from '../lib/protocol';
import { initWorkerBackend } from './backend';
import { loadModel } from './load-model';

type Model = Translator | Captioner;

interface Scope {
  postMessage(message: Response, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

function info(m: Model): ModelInfo {
  return m.task === 'translate'
    ? { card: m.card, languages: m.languages }
    : { card: m.card, imageSize: m.imageSize };
}

/**
 * Serves protocol requests for one task in a worker. Inferences run one after another so two
 * never interleave on the backend; backend start-up and loads run at once; a failed load is
 * forgotten so a retry loads again.
 *
 * @example
 * // translate.worker.ts
 * serve(self as unknown as DedicatedWorkerGlobalScope, 'translate');
 */
export function serve(scope: Scope, task: Model['task']): void {
  const models = new Map<string, Promise<Model>>();
  let queue: Promise<unknown> = Promise.resolve();

  const getModel = (name: string, onProgress: (p: LoadProgress) => void): Promise<Model> => {
    let m = models.get(name);
    if (!m) {
      // No warm-up inference: the page asks for a real one as soon as the model is ready, and
      // that request pays the first-run costs once instead of after a throwaway one.
      m = loadModel(
        name,
        { onProgress, baseUrl: '/models', skipWarmup: true },
        initWorkerBackend(),
      );
      m.then(
        (model) => {
          if (model.task !== task) {
            models.delete(name);
            model.dispose();
          }
        },
        () => models.delete(name),
      );
      models.set(name, m);
    }
    return m.then((model) => {
      if (model.task !== task) {
        throw new Error(
          `Model '${name}' is a ${model.task} model; this page needs a ${task} model.`,
        );
      }
      return model;
    });
  };

  const handle = async (req: Request): Promise<Response> => {
    const progress = (p: LoadProgress) =>
      scope.postMessage({ id: req.id, type: 'progress', progress: p });
    switch (req.type) {
      case 'init':
        return { id: req.id, type: 'init', backend: await initWorkerBackend(req.backend) };
      case 'load': {
        const t0 = performance.now();
        const model = await getModel(req.model, progress);
        return { id: req.id, type: 'load', info: info(model), ms: performance.now() - t0 };
      }
      case 'translate': {
        const model = await getModel(req.model, progress);
        if (model.task !== 'translate') throw new Error('unreachable: task checked in getModel');
        const t0 = performance.now();
        const result = await model.translate(req.text, req.opts);
        const ms = performance.now() - t0;
        const { numTensors, numBytes } = memory();
        return { id: req.id, type: 'translate', result, ms, memory: { numTensors, numBytes } };
      }
      case 'caption': {
        const model = await getModel(req.model, progress);
        if (model.task !== 'caption') throw new Error('unreachable: task checked in getModel');
        const t0 = performance.now();
        const result = await model.caption(req.image, req.opts);
        const ms = performance.now() - t0;
        const { numTensors, numBytes } = memory();
        return { id: req.id, type: 'caption', result, ms, memory: { numTensors, numBytes } };
      }
    }
  };

  scope.onmessage = (ev: MessageEvent) => {
    const id = typeof ev.data?.id === 'number' ? (ev.data.id as number) : -1;
    const run = async () => {
      try {
        scope.postMessage(await handle(parseRequest(ev.data)));
      } catch (e) {
        scope.postMessage({
          id,
          type: 'error',
          message: e instanceof Error ? e.message : String(e),
        });
      }
    };
    // Backend start-up and model loads run at once (each is shared and idempotent), so model
    // files download while the backend compiles; inferences run one after another.
    const kind = (ev.data as { type?: unknown } | null)?.type;
    if (kind === 'init' || kind === 'load') void run();
    else queue = queue.then(run);
  };
}
