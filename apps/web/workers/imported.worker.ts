// Web Worker of the demos' "use your own model" panel: a model folder from files (a zip or a
// picked folder, unpacked by the page) or from a same-site URL, loaded by @seqlab/models'
// loadFromSource like load() does, then translate or caption requests.

import type { Captioner, Translator } from '@seqlab/models';
import { loadFromSource, memorySource, modelSource } from '@seqlab/models';
import { env } from '@tensorflow/tfjs-core';
import type { ImportedInfo, ImportedReply, ImportedRequest } from '../lib/imported-protocol';
import { initWorkerBackend } from './backend';

// In a cross-origin isolated page tfjs' wasm backend picks its threaded build, whose pthread
// workers cannot start from this bundled module worker (importScripts of a blob fails). Only the
// single-threaded SIMD build works here (as backend.ts says); seqlab's kernels bring their own threads.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

const scope = self as unknown as {
  postMessage(m: ImportedReply): void;
  onmessage: ((ev: MessageEvent) => void) | null;
};

let model: Translator | Captioner | null = null;

function info(m: Translator | Captioner): ImportedInfo {
  const base = {
    name: m.card.name,
    title: m.card.title,
    card: m.card.markdown,
    metrics: m.card.metrics,
  };
  return m.task === 'translate'
    ? { ...base, task: 'translate', languages: m.languages }
    : { ...base, task: 'caption', imageSize: m.imageSize };
}

async function replace(load: () => Promise<Translator | Captioner>): Promise<ImportedInfo> {
  await initWorkerBackend();
  const next = await load();
  model?.dispose();
  model = next;
  return info(next);
}

async function handle(req: ImportedRequest): Promise<ImportedReply> {
  const t0 = performance.now();
  const ms = () => performance.now() - t0;
  switch (req.type) {
    case 'load-files':
      return {
        id: req.id,
        type: 'info',
        info: await replace(() => loadFromSource(memorySource(req.files, req.where))),
        ms: ms(),
      };
    case 'load-url': {
      const url = new URL(req.url, self.location.href);
      if (url.origin !== self.location.origin)
        throw new Error(
          `${req.url}: this app loads models from its own site only (${self.location.origin}; its Content-Security-Policy allows no other); download the folder and open it as a zip or folder instead`,
        );
      return {
        id: req.id,
        type: 'info',
        info: await replace(() => loadFromSource(modelSource(url.href))),
        ms: ms(),
      };
    }
    case 'translate': {
      if (model?.task !== 'translate')
        throw new Error(
          `no translation model is loaded (${model ? `a ${model.task} model is` : 'none is'})`,
        );
      const r = await model.translate(req.text);
      return { id: req.id, type: 'text', text: r.text, ms: ms() };
    }
    case 'caption': {
      if (model?.task !== 'caption')
        throw new Error(
          `no caption model is loaded (${model ? `a ${model.task} model is` : 'none is'})`,
        );
      const r = await model.caption(req.image);
      return { id: req.id, type: 'text', text: r.text, ms: ms() };
    }
    default:
      throw new Error(
        `imported-model worker: unknown request ${JSON.stringify((req as { type?: unknown }).type)}`,
      );
  }
}

scope.onmessage = (ev: MessageEvent) => {
  const req = ev.data as ImportedRequest;
  handle(req).then(
    (r) => scope.postMessage(r),
    (e: unknown) =>
      scope.postMessage({
        id: req?.id ?? 0,
        type: 'error',
        message: (e as Error)?.message ?? String(e),
      }),
  );
};
