// Messages between the demos' "use your own model" panel and its worker (workers/imported.worker.ts).
import type { Pixels } from './protocol';

/** What an imported model is, as the panel shows it. */
export interface ImportedInfo {
  task: 'translate' | 'caption';
  name: string;
  title: string;
  card: string;
  metrics: Record<string, number>;
  languages?: { source: string; target: string };
  imageSize?: number;
}

export type ImportedRequestBody =
  | { type: 'load-files'; files: Record<string, Uint8Array>; where: string }
  | { type: 'load-url'; url: string }
  | { type: 'translate'; text: string }
  | { type: 'caption'; image: Pixels };
export type ImportedRequest = ImportedRequestBody & { id: number };

export type ImportedReply =
  | { id: number; type: 'info'; info: ImportedInfo; ms: number }
  | { id: number; type: 'text'; text: string; ms: number }
  | { id: number; type: 'error'; message: string };
