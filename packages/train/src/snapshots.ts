// Weight snapshots for checkpoint averaging: the parameters at each of the last K checkpoints, kept
// in runDir/snapshots (one file a step, replaced atomically), and their element-wise mean.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';

/** Named float32 weights, as `ParamStore.read()` gives them. */
export type Weights = Record<string, Float32Array>;

const MAGIC = 'SQSNAP1';
const FILE = /^step-(\d+)\.snap$/;

/** The snapshots folder of a run dir. */
export function snapshotsDir(runDir: string): string {
  return path.join(runDir, 'snapshots');
}

/** Steps with a snapshot in `dir`, ascending. */
export function snapshotSteps(dir: string): number[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => FILE.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

function fileOf(dir: string, step: number): string {
  return path.join(dir, `step-${step}.snap`);
}

/**
 * Write the weights of `step` and keep only the `keep` latest snapshots (older ones, and any
 * after `step` left by a run that was resumed from an earlier checkpoint, are removed).
 *
 * @example
 * writeSnapshot('runs/x/snapshots', 800, model.params.read(), 5);
 */
export function writeSnapshot(dir: string, step: number, weights: Weights, keep: number): void {
  mkdirSync(dir, { recursive: true });
  const names = Object.keys(weights).sort();
  const header = JSON.stringify({
    magic: MAGIC,
    step,
    tensors: names.map((n) => ({ name: n, length: weights[n]?.length ?? 0 })),
  });
  const head = Buffer.from(header, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(head.length);
  const parts: Uint8Array[] = [len, head];
  for (const n of names) {
    const w = weights[n] as Float32Array;
    parts.push(new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
  }
  const file = fileOf(dir, step);
  writeFileSync(`${file}.tmp`, Buffer.concat(parts));
  renameSync(`${file}.tmp`, file);
  const steps = snapshotSteps(dir);
  for (const s of steps) if (s > step) rmSync(fileOf(dir, s), { force: true });
  const older = steps.filter((s) => s <= step);
  for (const s of older.slice(0, Math.max(0, older.length - keep)))
    rmSync(fileOf(dir, s), { force: true });
}

/** Read one snapshot; a damaged file is an error naming it. */
export function readSnapshot(dir: string, step: number): Weights {
  const file = fileOf(dir, step);
  const buf = readFileSync(file);
  const bad = (why: string) =>
    new Error(`${file}: not a weight snapshot (${why}); remove it, or rerun with --overwrite`);
  if (buf.length < 4) throw bad('too short');
  const n = buf.readUInt32LE(0);
  let header: { magic?: unknown; tensors?: { name: string; length: number }[] };
  try {
    header = JSON.parse(buf.subarray(4, 4 + n).toString('utf8'));
  } catch {
    throw bad('unreadable header');
  }
  if (header.magic !== MAGIC || !Array.isArray(header.tensors)) throw bad('wrong header');
  const total = header.tensors.reduce((a, t) => a + t.length, 0);
  if (buf.length !== 4 + n + total * 4)
    throw bad(`${buf.length} bytes, expected ${4 + n + total * 4}`);
  // Copied out: the file's bytes need not be 4-aligned inside the buffer.
  const data = new Float32Array(total);
  new Uint8Array(data.buffer).set(buf.subarray(4 + n));
  const out: Weights = {};
  let at = 0;
  for (const t of header.tensors) {
    out[t.name] = data.subarray(at, at + t.length);
    at += t.length;
  }
  return out;
}

/**
 * The element-wise mean of several weight sets with the same names and sizes (summed in float64,
 * in the order given, then rounded once to float32).
 *
 * @example
 * averageWeights([{ w: Float32Array.of(1, 2) }, { w: Float32Array.of(3, 6) }]); // { w: [2, 4] }
 */
export function averageWeights(sets: readonly Weights[]): Weights {
  const first = sets[0];
  if (!first) throw new Error('averageWeights: no weight sets');
  const out: Weights = {};
  for (const [name, w0] of Object.entries(first)) {
    const sum = new Float64Array(w0.length);
    for (const [i, s] of sets.entries()) {
      const w = s[name];
      if (!w || w.length !== w0.length)
        throw new Error(
          `averageWeights: set ${i} has ${w ? `${w.length} values` : 'no tensor'} for '${name}', expected ${w0.length}`,
        );
      for (let j = 0; j < w.length; j++) sum[j] = (sum[j] as number) + (w[j] as number);
    }
    out[name] = Float32Array.from(sum, (x) => x / sets.length);
  }
  for (const [i, s] of sets.entries())
    if (Object.keys(s).length !== Object.keys(first).length)
      throw new Error(`averageWeights: set ${i} has other tensors than set 0`);
  return out;
}
