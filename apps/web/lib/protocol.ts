// Message protocol between the pages (main thread) and the model workers: typed, plain-JSON data.
import type { Caption, DecodeOptions, LoadProgress, ModelCard, Translation } from './model-types';

/** Which backend tfjs ended up on in the worker, and why it was chosen. */
export interface BackendInfo {
  name: 'webgpu' | 'webgl' | 'wasm' | 'cpu';
  reason: string;
}

/** What a loaded model tells the page, beyond its card. */
export interface ModelInfo {
  card: ModelCard;
  languages?: { source: string; target: string };
  imageSize?: number;
  /** Captioners: whether closed-set decoding (only captions seen in training) is available. */
  closedSet?: boolean;
}

/** RGBA pixels, row-major; transferred (not copied) to the worker. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** tf.memory() in the worker after a request: lets the page (and e2e tests) watch for leaks. */
export interface WorkerMemory {
  numTensors: number;
  numBytes: number;
}

export type Request =
  | { id: number; type: 'init'; backend?: BackendInfo['name'] }
  | { id: number; type: 'load'; model: string }
  | { id: number; type: 'translate'; model: string; text: string; opts: DecodeOptions }
  | { id: number; type: 'caption'; model: string; image: Pixels; opts: DecodeOptions };

/** Requests without their id: what callers of the client pass. */
export type RequestBody = Request extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

export type Response =
  | { id: number; type: 'progress'; progress: LoadProgress }
  | { id: number; type: 'init'; backend: BackendInfo }
  | { id: number; type: 'load'; info: ModelInfo; ms: number }
  | { id: number; type: 'translate'; result: Translation; ms: number; memory?: WorkerMemory }
  | { id: number; type: 'caption'; result: Caption; ms: number; memory?: WorkerMemory }
  | { id: number; type: 'error'; message: string };

/** Longest input the translate worker accepts; the page trims and says so before this. */
export const MAX_TEXT_CHARS = 2000;

const REQUEST_TYPES = new Set(['init', 'load', 'translate', 'caption']);
const BACKENDS = new Set(['webgpu', 'webgl', 'wasm', 'cpu']);

/** True for a backend name the workers know: webgpu, webgl, wasm or cpu. */
export function isBackendName(x: unknown): x is BackendInfo['name'] {
  return typeof x === 'string' && BACKENDS.has(x);
}
const RESPONSE_TYPES = new Set(['progress', 'init', 'load', 'translate', 'caption', 'error']);

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

/**
 * Checks that a message posted to a worker is a well-formed request; workers reply with an
 * error for anything else instead of throwing inside onmessage.
 *
 * @example
 * parseRequest({ id: 1, type: 'init' }); // → { id: 1, type: 'init' }
 */
export function parseRequest(x: unknown): Request {
  if (!isRecord(x)) throw new Error(`Expected a request object, got ${typeof x}.`);
  if (typeof x.id !== 'number' || !Number.isInteger(x.id)) {
    throw new Error(`Expected an integer request id, got ${JSON.stringify(x.id)}.`);
  }
  if (typeof x.type !== 'string' || !REQUEST_TYPES.has(x.type)) {
    throw new Error(
      `Unknown request type ${JSON.stringify(x.type)}; valid: ${[...REQUEST_TYPES].join(', ')}.`,
    );
  }
  if (x.type === 'init' && x.backend !== undefined && !BACKENDS.has(String(x.backend))) {
    throw new Error(
      `Unknown backend ${JSON.stringify(x.backend)}; valid: ${[...BACKENDS].join(', ')}.`,
    );
  }
  if (x.type !== 'init' && typeof x.model !== 'string') {
    throw new Error(`Request '${x.type}' needs a model name, got ${JSON.stringify(x.model)}.`);
  }
  if (x.type === 'translate') {
    if (typeof x.text !== 'string') throw new Error('Request translate needs text (a string).');
    if (x.text.length > MAX_TEXT_CHARS) {
      throw new Error(
        `Text is ${x.text.length} characters; at most ${MAX_TEXT_CHARS} are accepted.`,
      );
    }
  }
  if (x.type === 'caption') {
    const img = x.image;
    if (
      !isRecord(img) ||
      typeof img.width !== 'number' ||
      typeof img.height !== 'number' ||
      !(img.data instanceof Uint8ClampedArray) ||
      img.data.length !== img.width * img.height * 4
    ) {
      throw new Error(
        'Request caption needs image {width, height, data: RGBA Uint8ClampedArray of width*height*4}.',
      );
    }
  }
  return x as unknown as Request;
}

/** Checks a worker's reply; the client drops malformed ones with a console warning. */
export function isResponse(x: unknown): x is Response {
  return (
    isRecord(x) &&
    typeof x.id === 'number' &&
    typeof x.type === 'string' &&
    RESPONSE_TYPES.has(x.type)
  );
}
