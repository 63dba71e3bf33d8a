// Fetch every file of a model folder at once (and once): loading then waits on the slowest file,
// not on the sum of round trips, and it can overlap with backend start-up.
import type { ModelSource } from './source';

interface Pending {
  readonly received: number;
  listeners: Set<(n: number) => void>;
  done: Promise<Uint8Array>;
}

/** A source whose reads are shared: reading a file twice fetches it once. */
export interface PrefetchingSource extends ModelSource {
  /** Starts reading these files now (errors surface on the later `read`, not here). */
  prefetch(names: readonly string[]): void;
  /**
   * Reads model.json, then starts every file it names (weight shards and the task's files).
   * Resolves when all have been requested; rejects only if model.json itself cannot be read.
   */
  prefetchModel(): Promise<void>;
  /** Drops the bytes held for files already read (after a model is built from them). */
  clear(): void;
}

export function isPrefetchingSource(src: ModelSource): src is PrefetchingSource {
  return typeof (src as Partial<PrefetchingSource>).prefetchModel === 'function';
}

/** Files a seqlab task model's model.json names: weight shards, then userDefinedMetadata.files. */
export function filesNamedBy(modelJson: unknown): string[] {
  const j = modelJson as {
    weightsManifest?: { paths?: unknown }[];
    userDefinedMetadata?: { files?: Record<string, unknown> };
  } | null;
  const out: string[] = [];
  for (const group of Array.isArray(j?.weightsManifest) ? j.weightsManifest : []) {
    for (const p of Array.isArray(group?.paths) ? group.paths : [])
      if (typeof p === 'string') out.push(p);
  }
  for (const f of Object.values(j?.userDefinedMetadata?.files ?? {}))
    if (typeof f === 'string') out.push(f);
  return [...new Set(out)];
}

/**
 * Wraps a source so each file is fetched once, and can be fetched ahead of need. Progress
 * callbacks attached by a later `read` get the bytes already received, then the rest.
 *
 * @example
 * const src = prefetchingSource(httpSource('/models/translate-en-es'));
 * void src.prefetchModel();            // starts model.json, shards, tokenizer, card
 * await initBackend('wasm');           // meanwhile
 * const t = await loadFromSource(src); // reads come from the fetches already under way
 */
export function prefetchingSource(inner: ModelSource): PrefetchingSource {
  const files = new Map<string, Pending>();
  const start = (name: string): Pending => {
    const known = files.get(name);
    if (known) return known;
    const listeners = new Set<(n: number) => void>();
    let received = 0;
    const done = inner.read(name, (n) => {
      received += n;
      for (const l of listeners) l(n);
    });
    const pending: Pending = {
      get received() {
        return received;
      },
      listeners,
      done,
    };
    // A failed read is forgotten so a retry fetches again; the failure still reaches the reader.
    done.catch(() => files.delete(name));
    files.set(name, pending);
    return pending;
  };
  const src: PrefetchingSource = {
    location: inner.location,
    async read(name, onBytes) {
      const p = start(name);
      if (onBytes) {
        if (p.received > 0) onBytes(p.received);
        p.listeners.add(onBytes);
      }
      try {
        return await p.done;
      } finally {
        if (onBytes) p.listeners.delete(onBytes);
      }
    },
    prefetch(names) {
      for (const n of names) start(n);
    },
    async prefetchModel() {
      const bytes = await start('model.json').done;
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch {
        return; // the loader reports malformed JSON with the file's name
      }
      src.prefetch(filesNamedBy(json));
    },
    clear() {
      files.clear();
    },
  };
  return src;
}
