// The page's first script: starts the model worker of /translate or /caption while the HTML is
// still parsing, before React and the app's chunks have loaded, and names the model for the worker
// to load at once (workers/host.ts, parsePreload). lib/workers.ts adopts that worker later.

/** The worker tasks: /workers/<task>.js, built by scripts/build-workers.mjs. */
export type WorkerTask = 'translate' | 'caption';

/** The model each demo shows first, so the one its worker preloads. */
export const FIRST_MODEL: Readonly<Record<WorkerTask, string>> = {
  translate: 'translate-en-es',
  caption: 'caption-shapes',
};

/** The URL of a task's worker bundle. */
export function workerUrl(task: WorkerTask): string {
  return `/workers/${task}.js`;
}

/** A worker the boot script started, and the start-up error it saw before anyone adopted it. */
export interface BootSlot {
  worker: Worker;
  error: string | null;
}

/** Where the boot script leaves its worker: `window.__seqlabWorkers[task]`. */
export type BootSlots = Partial<Record<WorkerTask, BootSlot>>;

/** What the boot script needs per task: the worker bundle's URL and the model to preload. */
type BootPlan = Record<string, { url: string; model: string }>;

/**
 * The boot script's body, run in the page as `(boot)(plan)`. Self-contained: it may use only its
 * argument and browser globals (it is serialised with Function.prototype.toString).
 */
function boot(plan: BootPlan): void {
  try {
    // '/translate' or '/translate/' → 'translate'; own keys only ('/constructor' is no task).
    const task = location.pathname.replace(/^\/|\/$/g, '');
    const p = Object.hasOwn(plan, task) ? plan[task] : undefined;
    if (!p || typeof Worker !== 'function') return;
    // The same backend pin as lib/workers.ts requestedBackend (the worker validates it again).
    const search = new URLSearchParams(location.search);
    const backend = search.get('backend');
    const decode = search.get('decode'); // 'tensor': the perf script's baseline (workers/preload.ts)
    const hash = `#preload=${encodeURIComponent(p.model)}${
      backend ? `&backend=${encodeURIComponent(backend)}` : ''
    }${decode ? `&decode=${encodeURIComponent(decode)}` : ''}`;
    const worker = new Worker(`${p.url}${hash}`, { type: 'module', name: task });
    const slot = { worker, error: null as string | null };
    worker.addEventListener('error', (e) => {
      slot.error = (e as ErrorEvent).message || 'the model worker failed to start';
    });
    const w = window as unknown as { __seqlabWorkers?: Record<string, typeof slot> };
    w.__seqlabWorkers = w.__seqlabWorkers ?? {};
    w.__seqlabWorkers[task] = slot;
  } catch {
    // No early worker (old browser, blocked by policy): lib/workers.ts starts one as usual.
  }
}

/**
 * The inline script for the document head (app/layout.tsx).
 *
 * @example
 * <script dangerouslySetInnerHTML={{ __html: bootScript() }} />
 */
export function bootScript(): string {
  const plan: BootPlan = {};
  for (const task of Object.keys(FIRST_MODEL) as WorkerTask[])
    plan[task] = { url: workerUrl(task), model: FIRST_MODEL[task] };
  // JSON inside a <script>: escape '<' so no value can close the element.
  return `(${boot.toString()})(${JSON.stringify(plan).replace(/</g, '\\u003c')});`;
}

/**
 * Takes the worker the boot script started for `task`, once; null when there is none, or when it
 * failed to start (the caller then starts a fresh one, whose error it will see itself).
 */
export function adoptBootWorker(task: WorkerTask): Worker | null {
  if (typeof window === 'undefined') return null;
  const slots = (window as unknown as { __seqlabWorkers?: BootSlots }).__seqlabWorkers;
  const slot = slots?.[task];
  if (!slot) return null;
  delete slots[task];
  if (slot.error !== null) {
    slot.worker.terminate();
    return null;
  }
  return slot.worker;
}
