// Where model files come from: a ModelSource reads named files (HTTP in browsers, fs in Node) with progress.
import type * as tf from '@tensorflow/tfjs-core';
import type { LoadProgress } from './types';

/** Reads the files of one model folder by relative name. */
export interface ModelSource {
  /** Human-readable location, used in error messages (a URL or a directory). */
  readonly location: string;
  /** Bytes of `name`; throws an Error naming the file when it is missing or unreadable. */
  read(name: string, onBytes?: (n: number) => void): Promise<Uint8Array>;
}

/** Joins a base URL and a file name without doubling slashes. */
export function join(base: string, name: string): string {
  return `${base.replace(/\/+$/, '')}/${name}`;
}

/** A download that never got a response (offline, DNS, refused connection), as opposed to an HTTP error. */
export class FetchFailed extends Error {
  override readonly name = 'FetchFailed';
}

/**
 * Fetch options per file for model folders: model.json is always revalidated with the server
 * (`cache: 'no-cache'`, a conditional request when the host sends ETag or Last-Modified), so a
 * republished model is seen at once and never pairs a stale model.json with newer files; the
 * other files follow the host's cache headers (and the Cache API layer, in browsers).
 */
export function revalidateModelJson(name: string): RequestInit | undefined {
  return name === 'model.json' ? { cache: 'no-cache' } : undefined;
}

/**
 * A source over HTTP(S) or any URL `fetch` understands, streaming so progress is reported.
 * `requestInit` gives per-file fetch options (the Cache API layer revalidates model.json).
 *
 * @example
 * const src = httpSource('/models/translate-en-es');
 * const json = await readJson(src, 'model.json');
 */
export function httpSource(
  baseUrl: string,
  fetchImpl: typeof fetch = (input, init) => globalThis.fetch(input, init),
  requestInit?: (name: string) => RequestInit | undefined,
): ModelSource {
  return {
    location: baseUrl,
    async read(name, onBytes) {
      const url = join(baseUrl, name);
      let res: Response;
      try {
        const init = requestInit?.(name);
        res = await (init ? fetchImpl(url, init) : fetchImpl(url));
      } catch (e) {
        throw new FetchFailed(`${url}: could not fetch (${(e as Error).message})`);
      }
      if (!res.ok)
        throw new Error(
          `${url}: expected the file, got HTTP ${res.status} ${res.statusText}`.trim(),
        );
      if (!res.body) {
        const buf = new Uint8Array(await res.arrayBuffer());
        onBytes?.(buf.length);
        return buf;
      }
      const reader = res.body.getReader();
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        total += value.length;
        onBytes?.(value.length);
      }
      const out = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        out.set(p, off);
        off += p.length;
      }
      return out;
    },
  };
}

/** A source over files already in memory (tests, drag-and-dropped folders). */
export function memorySource(
  files: Record<string, Uint8Array | string>,
  location = 'memory',
): ModelSource {
  const enc = new TextEncoder();
  return {
    location,
    async read(name, onBytes) {
      const f = files[name];
      if (f === undefined) {
        throw new Error(
          `${location}/${name}: missing file; present: ${Object.keys(files).sort().join(', ') || 'none'}`,
        );
      }
      const bytes = typeof f === 'string' ? enc.encode(f) : f;
      onBytes?.(bytes.length);
      return bytes;
    },
  };
}

/** Parse a JSON file of a source with an error that names the file. */
export async function readJson(
  src: ModelSource,
  name: string,
  onBytes?: (n: number) => void,
): Promise<unknown> {
  const bytes = await src.read(name, onBytes);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new Error(`${src.location}/${name}: malformed JSON (${(e as Error).message})`);
  }
}

/** Bytes a manifest entry occupies on disk (after quantisation). */
function entryBytes(w: tf.io.WeightsManifestEntry): number {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const q = w.quantization?.dtype;
  if (q) return n * (q === 'float16' ? 2 : q === 'uint16' ? 2 : 1);
  return n * (w.dtype === 'float32' || w.dtype === 'int32' ? 4 : 1);
}

/** Progress reporter over a known number of bytes. */
export function progressTracker(totalBytes: number, onProgress?: (p: LoadProgress) => void) {
  let loaded = 0;
  let total = totalBytes;
  return {
    addTotal(n: number) {
      total += n;
    },
    bytes(file: string) {
      return (n: number) => {
        loaded += n;
        onProgress?.({
          fraction: total > 0 ? Math.min(1, loaded / total) : 0,
          loadedBytes: loaded,
          totalBytes: total,
          file,
        });
      };
    },
    done() {
      onProgress?.({ fraction: 1, loadedBytes: loaded, totalBytes: Math.max(total, loaded) });
    },
  };
}

/**
 * A tf.io.IOHandler reading `model.json` and its shards from a source, so any tfjs loader
 * (and our loadSeq2Seq / loadParams) can use it. Missing or malformed files raise errors naming them.
 */
export function sourceHandler(
  src: ModelSource,
  onProgress?: (p: LoadProgress) => void,
  modelFile = 'model.json',
): tf.io.IOHandler & { sizeBytes(): number } {
  let weightBytes = 0;
  return {
    sizeBytes: () => weightBytes,
    async load(): Promise<tf.io.ModelArtifacts> {
      const json = (await readJson(src, modelFile)) as Partial<tf.io.ModelJSON> | null;
      if (json === null || typeof json !== 'object' || Array.isArray(json)) {
        throw new Error(
          `${src.location}/${modelFile}: expected a JSON object with modelTopology and weightsManifest`,
        );
      }
      if (!Array.isArray(json.weightsManifest)) {
        throw new Error(
          `${src.location}/${modelFile}: expected weightsManifest to be an array, got ${typeof json.weightsManifest}`,
        );
      }
      const specs: tf.io.WeightsManifestEntry[] = [];
      const paths: string[] = [];
      for (const group of json.weightsManifest) {
        if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
          throw new Error(
            `${src.location}/${modelFile}: each weightsManifest group needs 'paths' and 'weights' arrays`,
          );
        }
        paths.push(...group.paths);
        specs.push(...group.weights);
      }
      const expected = specs.reduce((n, w) => n + entryBytes(w), 0);
      const progress = progressTracker(expected, onProgress);
      // All shards at once: the load waits on the slowest, not on the sum of round trips.
      const shards = await Promise.all(paths.map((p) => src.read(p, progress.bytes(p))));
      progress.done();
      const total = shards.reduce((n, s) => n + s.length, 0);
      weightBytes = total;
      const data = new Uint8Array(total);
      let off = 0;
      for (const s of shards) {
        data.set(s, off);
        off += s.length;
      }
      const artifacts: tf.io.ModelArtifacts = {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: data.buffer,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? null,
      };
      if (json.userDefinedMetadata) artifacts.userDefinedMetadata = json.userDefinedMetadata;
      return artifacts;
    },
  };
}
