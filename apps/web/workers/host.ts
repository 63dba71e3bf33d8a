// Worker side of the protocol: one lazily loaded model per name, requests served one at a time.
import { wantsHostDecoding } from '@seqlab/models';
import { memory } from '@tensorflow/tfjs-core';
import type { Captioner, LoadProgress, Translator } from '../lib/model-types';
import { type ModelInfo, parseRequest, type Request, type Response } from '../lib/protocol';
import { initWorkerBackend } from './backend';
import { loadModel } from './load-model';
import type { Preload } from './preload';

type Model = Translator | Captioner;

interface Scope {
  postMessage(message: Response, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}

/** Options of {@link serve}. */
export interface ServeOptions {
  /**
   * Inferences on a synthetic input that the worker runs, one at a time and only while no request
   * is waiting, after a model of this task loads. Browsers compile wasm and JS in tiers: the
   * kernels reach full speed only after dozens of runs, so without this the user's first
   * captions pay for it. Default: 50 for captioning (a Shapes caption is ~10 ms once warm), 0 for
   * translation (its first request is the first thing the page needs).
   */
  idleWarmups?: number;
  /** Where models come from (tests pass a fake); default {@link loadModel} from /models. */
  load?: (name: string, onProgress: (p: LoadProgress) => void) => Promise<Model>;
  /**
   * Start the backend and this model load before any request arrives (see parsePreload): the
   * page's later `init` and `load` requests join them.
   */
  preload?: Preload;
}

/** A light image with one mid-sized coloured square: a plausible input for any captioner. */
export function warmupImage(size: number): {
  width: number;
  height: number;
  data: Uint8ClampedArray;
} {
  const data = new Uint8ClampedArray(size * size * 4).fill(240);
  const lo = Math.floor(size * 0.3);
  const hi = Math.ceil(size * 0.7);
  for (let y = lo; y < hi; y++)
    for (let x = lo; x < hi; x++) data.set([40, 80, 215, 255], (y * size + x) * 4);
  for (let i = 3; i < data.length; i += 4) data[i] = 255;
  return { width: size, height: size, data };
}

function info(m: Model): ModelInfo {
  return m.task === 'translate'
    ? { card: m.card, languages: m.languages }
    : { card: m.card, imageSize: m.imageSize, closedSet: m.canDecodeClosed };
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
export function serve(scope: Scope, task: Model['task'], opts: ServeOptions = {}): void {
  const models = new Map<string, Promise<Model>>();
  let queue: Promise<unknown> = Promise.resolve();
  /** Requests queued or running (not warm-ups). */
  let pending = 0;
  const warmups = opts.idleWarmups ?? (task === 'caption' ? 50 : 0);
  // `?decode=tensor` (through the preload): tensor ops per step, no host SIMD decoding.
  const hostKernels = opts.preload?.decode !== 'tensor';
  const load =
    opts.load ??
    ((name: string, onProgress: (p: LoadProgress) => void) =>
      loadModel(
        name,
        {
          onProgress,
          baseUrl: '/models',
          skipWarmup: true,
          int8Head: hostKernels,
          hostDecoding: hostKernels,
        },
        initWorkerBackend(),
      ));

  /** Warm-ups waiting for the requests queued or running to finish. */
  let onIdle: (() => void)[] = [];
  // One warm-up inference whenever the queue is idle, `left` times; a request that arrives waits
  // for at most the one warm-up already running.
  const warm = (model: Model, left: number): void => {
    if (left <= 0) return;
    if (pending > 0) {
      onIdle.push(() => warm(model, left));
      return;
    }
    queue = queue
      .then(
        (): Promise<unknown> =>
          model.task === 'caption'
            ? model.caption(warmupImage(model.imageSize))
            : model.translate('Open the file'),
      )
      .then(
        () => {
          // A macrotask between warm-ups lets a waiting request message in first.
          setTimeout(() => warm(model, left - 1), 0);
        },
        () => {}, // a model that fails on the synthetic input is not warmed further
      );
  };

  // One load per name; everyone who asks for it gets its progress (a preload has no asker yet).
  const listeners = new Map<string, Set<(p: LoadProgress) => void>>();
  const getModel = (name: string, onProgress?: (p: LoadProgress) => void): Promise<Model> => {
    let fans = listeners.get(name);
    if (!fans) {
      fans = new Set();
      listeners.set(name, fans);
    }
    if (onProgress) fans.add(onProgress);
    let m = models.get(name);
    if (!m) {
      // No warm-up inference inside the load: the page asks for a real one as soon as the model
      // is ready, and that goes first; idle warm-ups (`idleWarmups`) follow it.
      const fan = fans;
      m = load(name, (p) => {
        for (const fn of fan) fn(p);
      });
      m.then(
        (model) => {
          if (model.task !== task) {
            models.delete(name);
            model.dispose();
          } else if (warmups > 0) setTimeout(() => warm(model, warmups), 0);
        },
        () => models.delete(name),
      );
      models.set(name, m);
    }
    const done = () => {
      if (onProgress) fans.delete(onProgress);
    };
    m.then(done, done);
    return m.then((model) => {
      if (model.task !== task) {
        throw new Error(
          `Model '${name}' is a ${model.task} model; this page needs a ${task} model.`,
        );
      }
      return model;
    });
  };

  if (opts.preload) {
    // Errors surface when the page asks for the same backend or model.
    initWorkerBackend(opts.preload.backend).catch(() => {});
    getModel(opts.preload.model).catch(() => {});
  }

  const handle = async (req: Request): Promise<Response> => {
    const progress = (p: LoadProgress) =>
      scope.postMessage({ id: req.id, type: 'progress', progress: p });
    switch (req.type) {
      case 'init': {
        const backend = await initWorkerBackend(req.backend);
        // Say when decoding leaves tfjs for seqlab's own kernels: the same test load applies.
        return {
          id: req.id,
          type: 'init',
          backend: wantsHostDecoding({ hostDecoding: hostKernels })
            ? {
                ...backend,
                reason: `${backend.reason}; decoding runs on seqlab's WebAssembly SIMD kernels`,
              }
            : backend,
        };
      }
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
    else {
      pending += 1;
      queue = queue.then(run).finally(() => {
        pending -= 1;
        if (pending === 0 && onIdle.length > 0) {
          const resume = onIdle;
          onIdle = [];
          // A macrotask first, so a request posted right behind this one still goes before them.
          setTimeout(() => {
            for (const fn of resume) fn();
          }, 0);
        }
      });
    }
  };
}
