// Training checkpoints: a single self-describing binary (JSON header + float32 tensors + checksum) and the abstract store it is written through.

import type { RngState } from '@seqlab/text';
import { fnv1a } from '@seqlab/text';
import type { AdamConfig } from './adam';

const MAGIC = 0x4b435153; // 'SQCK' little-endian
const VERSION = 1;

/** Everything besides tensors needed to continue training exactly. */
export interface CheckpointMeta {
  /** Model config (JSON), so a loader can rebuild the model before restoring weights. */
  config: object;
  step: number;
  epoch: number;
  /** The batch source's serialisable position. */
  dataPosition: unknown;
  rng: RngState;
  optimizer: { config: AdamConfig; iterations: number };
  trainer: {
    bestMetric: number | null;
    badValidations: number;
    lastMetric: number | null;
    /** Step of the kept best weights (`best/…` tensors), when the trainer keeps them. */
    bestStep?: number;
  };
  createdAt: string;
}

/** Named float32 tensors: parameters as `param/NAME`, Adam moments as `adam_m/NAME`, `adam_v/NAME`. */
export type TensorMap = Record<string, { shape: number[]; data: Float32Array }>;

export interface CheckpointData {
  meta: CheckpointMeta;
  tensors: TensorMap;
}

/**
 * Where checkpoints go. Implementations must replace the previous checkpoint atomically:
 * after a failed `save` the previous one must still load.
 * The Node file implementation lives in `@seqlab/seq2seq/node`.
 */
export interface CheckpointStore {
  save(bytes: Uint8Array): Promise<void>;
  /** The latest checkpoint, or null when none was written yet. */
  load(): Promise<Uint8Array | null>;
  /** Human-readable location for messages (e.g. a path). */
  readonly location: string;
}

/** In-memory store (tests, browser workers that keep checkpoints in RAM). */
export class MemoryCheckpointStore implements CheckpointStore {
  readonly location = 'memory';
  private bytes: Uint8Array | null = null;

  async save(bytes: Uint8Array): Promise<void> {
    this.bytes = bytes.slice();
  }

  async load(): Promise<Uint8Array | null> {
    return this.bytes ? this.bytes.slice() : null;
  }
}

/** Layout: u32 magic, u32 version, u32 header length, JSON header, zero padding to 4 bytes, float32 payload. */
export function encodeCheckpoint(ckpt: CheckpointData): Uint8Array {
  const entries: { name: string; shape: number[]; offset: number; length: number }[] = [];
  let total = 0;
  for (const [name, t] of Object.entries(ckpt.tensors)) {
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected)
      throw new Error(
        `encodeCheckpoint: '${name}' has ${t.data.length} values, shape [${t.shape}] needs ${expected}`,
      );
    entries.push({ name, shape: t.shape, offset: total, length: t.data.length });
    total += t.data.length;
  }
  const payload = new Float32Array(total);
  for (const e of entries)
    payload.set((ckpt.tensors[e.name] as { data: Float32Array }).data, e.offset);
  const payloadBytes = new Uint8Array(payload.buffer);
  const header = new TextEncoder().encode(
    JSON.stringify({
      meta: ckpt.meta,
      tensors: entries,
      payloadBytes: payloadBytes.length,
      checksum: fnv1a(payloadBytes),
    }),
  );
  const headerPadded = Math.ceil(header.length / 4) * 4;
  const out = new Uint8Array(12 + headerPadded + payloadBytes.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, VERSION, true);
  dv.setUint32(8, header.length, true);
  out.set(header, 12);
  out.set(payloadBytes, 12 + headerPadded);
  return out;
}

/** Parse and verify a checkpoint; throws a specific error for each kind of damage. */
export function decodeCheckpoint(bytes: Uint8Array, where = 'checkpoint'): CheckpointData {
  if (bytes.length < 12)
    throw new Error(`${where}: too short to be a checkpoint (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC)
    throw new Error(`${where}: not a seqlab checkpoint (bad magic number)`);
  const version = dv.getUint32(4, true);
  if (version !== VERSION)
    throw new Error(
      `${where}: checkpoint version ${version} is not supported (expected ${VERSION})`,
    );
  const headerLen = dv.getUint32(8, true);
  if (12 + headerLen > bytes.length)
    throw new Error(
      `${where}: truncated header (${bytes.length} bytes, header needs ${12 + headerLen})`,
    );
  let header: {
    meta: CheckpointMeta;
    tensors: { name: string; shape: number[]; offset: number; length: number }[];
    payloadBytes: number;
    checksum: number;
  };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLen)));
  } catch (e) {
    throw new Error(`${where}: header is not valid JSON (${(e as Error).message})`);
  }
  const start = 12 + Math.ceil(headerLen / 4) * 4;
  const available = bytes.length - start;
  if (available !== header.payloadBytes) {
    throw new Error(
      `${where}: tensor payload is ${available} bytes, header says ${header.payloadBytes} (truncated or padded file)`,
    );
  }
  // Copy into a fresh, aligned buffer. Not bytes.slice(): on a Node Buffer that is a view, and the
  // floats were then read from the start of the file (header bytes) instead of the payload.
  const payload = new Uint8Array(available);
  payload.set(bytes.subarray(start));
  if (fnv1a(payload) !== header.checksum)
    throw new Error(`${where}: checksum mismatch, the tensor payload is corrupted`);
  const floats = new Float32Array(payload.buffer, 0, payload.length / 4);
  const tensors: TensorMap = {};
  for (const e of header.tensors)
    tensors[e.name] = { shape: e.shape, data: floats.slice(e.offset, e.offset + e.length) };
  return { meta: header.meta, tensors };
}
