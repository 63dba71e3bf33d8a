// IndexedDB (idb) for training in the page: the current run (data, settings, chart history), its
// checkpoint, and saved model folders. Used by the training worker and by the demos' model import.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb';
import type { CaptionTrainItem, StoredRunInfo } from './train-protocol';

/** A stored run: its info and its data (sentence pairs or captioned images). */
export interface StoredRunData {
  info: StoredRunInfo;
  pairs?: { source: string; target: string }[];
  items?: CaptionTrainItem[];
}

interface TrainDb extends DBSchema {
  /** One record, key 'current': the run a reloaded tab resumes. */
  runs: { key: string; value: StoredRunData };
  /** Key 'current': the run's latest @seqlab/train checkpoint (encodeCheckpoint bytes). */
  checkpoints: { key: string; value: Uint8Array };
  /** Saved model folders by name. */
  models: {
    key: string;
    value: { name: string; task: string; files: Record<string, Uint8Array>; savedAt: string };
  };
}

export const DB_NAME = 'seqlab-train';
let db: Promise<IDBPDatabase<TrainDb>> | null = null;

function open(): Promise<IDBPDatabase<TrainDb>> {
  db ??= openDB<TrainDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore('runs');
      d.createObjectStore('checkpoints');
      d.createObjectStore('models');
    },
  });
  return db;
}

const CURRENT = 'current';

/** The stored run (without its pairs), or null. */
export async function storedRun(): Promise<StoredRunInfo | null> {
  return (await (await open()).get('runs', CURRENT))?.info ?? null;
}

export async function storedRunData(): Promise<StoredRunData | null> {
  return (await (await open()).get('runs', CURRENT)) ?? null;
}

/** Starts a new stored run: its data and settings; any previous checkpoint is removed. */
export async function putRun(run: StoredRunData) {
  const tx = (await open()).transaction(['runs', 'checkpoints'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').put(run, CURRENT),
    tx.objectStore('checkpoints').delete(CURRENT),
    tx.done,
  ]);
}

/** Updates the run's info (step, charts, state) and, when given, its checkpoint, in one transaction. */
export async function updateRun(info: StoredRunInfo, checkpoint?: Uint8Array): Promise<void> {
  const d = await open();
  const tx = d.transaction(['runs', 'checkpoints'], 'readwrite');
  const runs = tx.objectStore('runs');
  const cur = await runs.get(CURRENT);
  if (!cur) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw new Error('IndexedDB: no stored run to update (was it discarded in another tab?)');
  }
  await runs.put({ ...cur, info }, CURRENT);
  if (checkpoint) await tx.objectStore('checkpoints').put(checkpoint, CURRENT);
  await tx.done;
}

export async function loadCheckpoint(): Promise<Uint8Array | null> {
  return (await (await open()).get('checkpoints', CURRENT)) ?? null;
}

export async function discardRun(): Promise<void> {
  const tx = (await open()).transaction(['runs', 'checkpoints'], 'readwrite');
  await Promise.all([
    tx.objectStore('runs').delete(CURRENT),
    tx.objectStore('checkpoints').delete(CURRENT),
    tx.done,
  ]);
}

export async function saveModel(name: string, task: string, files: Record<string, Uint8Array>) {
  await (await open()).put(
    'models',
    { name, task, files, savedAt: new Date().toISOString() },
    name,
  );
}

export async function savedModels(): Promise<{ name: string; task: string; savedAt: string }[]> {
  const all = await (await open()).getAll('models');
  return all.map(({ name, task, savedAt }) => ({ name, task, savedAt }));
}

export async function savedModelFiles(name: string): Promise<Record<string, Uint8Array> | null> {
  return (await (await open()).get('models', name))?.files ?? null;
}
