// Save/load of trained models as tfjs-compatible artifacts (model.json + weightsManifest + shards) through any tf.io.IOHandler.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../model/params';
import { withoutRandomInit } from '../model/recurrent';
import { type Quantization, quantizeTensor } from './quantize';

/** Our payload inside `modelTopology`. */
export interface SeqlabTopology {
  format: string;
  version: number;
  config: unknown;
}

export interface SaveOptions {
  /** Weight encoding; default float32. */
  quantization?: Quantization;
  /** Extra JSON kept in model.json's `userDefinedMetadata` (e.g. vocab file names, training card). */
  userDefinedMetadata?: Record<string, unknown>;
}

const VERSION = 1;

/**
 * Encode parameters and config as tfjs ModelArtifacts and hand them to `handler.save`.
 *
 * @example
 * await saveParams(model.params, { format: 'seqlab-seq2seq', config: model.config }, tf.io.withSaveHandler(async (a) => ...));
 */
export async function saveParams(
  params: ParamStore,
  topology: { format: string; config: unknown },
  handler: tf.io.IOHandler,
  opts: SaveOptions = {},
): Promise<tf.io.SaveResult> {
  if (!handler.save) throw new Error('save: the IOHandler has no save() (it is load-only)');
  const scheme = opts.quantization ?? 'float32';
  if (!['float32', 'float16', 'uint8', 'int8'].includes(scheme)) {
    throw new Error(
      `save: quantization must be 'float32' | 'float16' | 'uint8' | 'int8', got ${JSON.stringify(scheme)}`,
    );
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const chunks: Uint8Array[] = [];
  const values = params.read();
  const shapes = params.shapes();
  for (const name of params.names()) {
    const enc = quantizeTensor(values[name] as Float32Array, scheme);
    const spec: tf.io.WeightsManifestEntry = {
      name,
      shape: shapes[name] as number[],
      dtype: 'float32',
    };
    if (enc.quantization) spec.quantization = enc.quantization;
    specs.push(spec);
    chunks.push(enc.bytes);
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const weightData = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    weightData.set(c, off);
    off += c.length;
  }
  const modelTopology: SeqlabTopology = {
    format: topology.format,
    version: VERSION,
    config: topology.config,
  };
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: modelTopology as unknown as object,
    format: topology.format,
    generatedBy: '@seqlab/seq2seq',
    convertedBy: null,
    weightSpecs: specs,
    weightData: weightData.buffer,
  };
  if (opts.userDefinedMetadata)
    artifacts.userDefinedMetadata = opts.userDefinedMetadata as Record<string, object>;
  return handler.save(artifacts);
}

export interface LoadedArtifacts {
  config: unknown;
  /** Decoded float32 tensors by parameter name (caller disposes). */
  weights: Record<string, tf.Tensor>;
  userDefinedMetadata?: Record<string, unknown>;
}

/** Bytes per value of a manifest entry after quantisation. */
function bytesPerValue(spec: tf.io.WeightsManifestEntry): number {
  const q = spec.quantization?.dtype;
  if (q) return q === 'uint8' ? 1 : 2;
  return 4;
}

/** `[i, j, …]` of flat index `flat` in a row-major tensor of `shape`. */
function multiIndex(flat: number, shape: readonly number[]): string {
  const out: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] as number;
    out.unshift(flat % n);
    flat = Math.floor(flat / n);
  }
  return `[${out.join(', ')}]`;
}

function describeValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/**
 * Refuse weight data whose decoded values would not all be finite, naming the weight, the first bad
 * value and its index. Float32 and float16 values are read from their bits; an 8-bit affine weight
 * decodes to `q · scale + min` (q in 0..255), which is finite for every q exactly when `scale`,
 * `min` and `255 · scale + min` are (in float32, as tfjs computes it).
 */
export function assertFiniteWeights(
  buffer: ArrayBuffer,
  specs: readonly tf.io.WeightsManifestEntry[],
  where = 'model.json',
): void {
  // Typed views where the offset is aligned (the usual case), a copy where an 8-bit weight before it is not.
  const values = <T>(
    Ctor: { new (b: ArrayBuffer, o?: number, n?: number): T; BYTES_PER_ELEMENT: number },
    off: number,
    n: number,
  ): T =>
    off % Ctor.BYTES_PER_ELEMENT === 0
      ? new Ctor(buffer, off, n)
      : new Ctor(buffer.slice(off, off + n * Ctor.BYTES_PER_ELEMENT));
  const fail = (s: tf.io.WeightsManifestEntry, bad: number, first: number, v: number) => {
    const n = tf.util.sizeFromShape(s.shape);
    throw new Error(
      `${where}: weight '${s.name}' (shape [${s.shape}]) holds ${bad} non-finite value${bad === 1 ? '' : 's'} of ${n}; the first is ${describeValue(v)} at ${multiIndex(first, s.shape)}. Expected finite numbers: the model diverged in training or the file is corrupt — export it again from a checkpoint before the divergence`,
    );
  };
  let off = 0;
  for (const s of specs) {
    const n = tf.util.sizeFromShape(s.shape);
    const q = s.quantization;
    if (q?.dtype === 'uint8') {
      const scale = q.scale as number;
      const min = q.min as number;
      const top = Math.fround(Math.fround(255 * Math.fround(scale)) + Math.fround(min));
      if (!Number.isFinite(scale) || !Number.isFinite(min) || !Number.isFinite(top)) {
        const what = !Number.isFinite(scale)
          ? `scale ${describeValue(scale)}`
          : !Number.isFinite(min)
            ? `min ${describeValue(min)}`
            : `scale ${scale} and min ${min}, whose largest value 255·scale + min overflows float32`;
        throw new Error(
          `${where}: weight '${s.name}' (shape [${s.shape}]) is 8-bit quantised with ${what}; expected finite numbers so every value decodes to a finite weight — the file is corrupt or was written from non-finite weights`,
        );
      }
      off += n;
    } else if (q?.dtype === 'float16') {
      // Exponent bits all ones: ±Inf (mantissa 0) or NaN.
      const h = values(Uint16Array, off, n);
      let bad = 0;
      let first = -1;
      for (let i = 0; i < n; i++) {
        if (((h[i] as number) & 0x7c00) === 0x7c00 && bad++ === 0) first = i;
      }
      if (bad > 0) {
        const b = h[first] as number;
        fail(s, bad, first, b & 0x3ff ? Number.NaN : b & 0x8000 ? -Infinity : Infinity);
      }
      off += 2 * n;
    } else {
      const f = values(Float32Array, off, n);
      let bad = 0;
      let first = -1;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(f[i] as number) && bad++ === 0) first = i;
      }
      if (bad > 0) fail(s, bad, first, f[first] as number);
      off += 4 * n;
    }
  }
}

/**
 * Load artifacts through `handler.load` and validate them against our format and the expected parameter shapes
 * (from `expectedShapes(config, { bytes })`, where `bytes` is the weight data loaded, so the callback
 * can refuse an impossible config before building the model), with one specific error per kind of damage.
 */
export async function loadParams(
  handler: tf.io.IOHandler,
  expectedFormat: string,
  expectedShapes: (config: unknown, data: { bytes: number }) => Record<string, number[]>,
  where = 'model.json',
): Promise<LoadedArtifacts> {
  if (!handler.load) throw new Error('load: the IOHandler has no load() (it is save-only)');
  const a = await handler.load();
  const topo = a.modelTopology as Partial<SeqlabTopology> | undefined;
  if (!topo || typeof topo !== 'object' || topo instanceof ArrayBuffer) {
    throw new Error(
      `${where}: missing modelTopology; expected { format: '${expectedFormat}', version, config }`,
    );
  }
  if (topo.format !== expectedFormat) {
    throw new Error(
      `${where}: modelTopology.format is ${JSON.stringify(topo.format)}, expected '${expectedFormat}'`,
    );
  }
  if (topo.version !== VERSION)
    throw new Error(
      `${where}: format version ${JSON.stringify(topo.version)} is not supported (expected ${VERSION})`,
    );
  if (!topo.config || typeof topo.config !== 'object')
    throw new Error(`${where}: modelTopology.config is missing or not an object`);
  const specs = a.weightSpecs;
  if (!Array.isArray(specs)) throw new Error(`${where}: missing weightsManifest / weightSpecs`);
  if (a.weightData == null) throw new Error(`${where}: no weight data was loaded (missing shard?)`);
  // The weight bytes actually loaded bound what a config may ask for: callbacks refuse configs
  // whose weights could not fit before allocating them (a corrupt config could ask for terabytes).
  const bytes = tf.io.CompositeArrayBuffer.join(a.weightData).byteLength;
  const declared = specs.reduce(
    (n, s) => n + (Array.isArray(s?.shape) ? tf.util.sizeFromShape(s.shape) * bytesPerValue(s) : 0),
    0,
  );
  // Checked before the model is built, so a manifest cannot make the callback allocate more than was loaded.
  if (declared > bytes) {
    throw new Error(
      `${where}: weight data is ${bytes} bytes but the manifest describes ${declared} bytes (truncated shard)`,
    );
  }
  const expected = expectedShapes(topo.config, { bytes });
  const seen = new Set<string>();
  let need = 0;
  for (const s of specs) {
    if (typeof s?.name !== 'string' || !Array.isArray(s.shape))
      throw new Error(`${where}: malformed weight entry ${JSON.stringify(s)}`);
    if (s.dtype !== 'float32')
      throw new Error(
        `${where}: weight '${s.name}' has dtype ${JSON.stringify(s.dtype)}, expected 'float32'`,
      );
    const q = s.quantization;
    if (q && !['float16', 'uint8'].includes(q.dtype)) {
      throw new Error(
        `${where}: weight '${s.name}' has quantization dtype ${JSON.stringify(q.dtype)}; supported: 'float16', 'uint8'`,
      );
    }
    if (q?.dtype === 'uint8' && (typeof q.scale !== 'number' || typeof q.min !== 'number')) {
      throw new Error(
        `${where}: weight '${s.name}' is uint8-quantised but lacks numeric scale/min`,
      );
    }
    const want = expected[s.name];
    if (!want)
      throw new Error(
        `${where}: unexpected weight '${s.name}' (not a parameter of this model config)`,
      );
    if (!tf.util.arraysEqual(want, s.shape)) {
      throw new Error(
        `${where}: weight '${s.name}' has shape [${s.shape}], the config needs [${want}]`,
      );
    }
    if (seen.has(s.name)) throw new Error(`${where}: weight '${s.name}' appears twice`);
    seen.add(s.name);
    need += tf.util.sizeFromShape(s.shape) * bytesPerValue(s);
  }
  const missing = Object.keys(expected).filter((n) => !seen.has(n));
  if (missing.length) throw new Error(`${where}: missing weights ${missing.join(', ')}`);
  const buffer = tf.io.CompositeArrayBuffer.join(a.weightData);
  if (buffer.byteLength !== need) {
    throw new Error(
      `${where}: weight data is ${buffer.byteLength} bytes but the manifest describes ${need} bytes (${buffer.byteLength < need ? 'truncated shard' : 'extra bytes'})`,
    );
  }
  // Checked on the bytes, before any tensor exists: one NaN or Inf weight turns every output into
  // NaN, which decodes to an empty caption or translation with no error at all.
  assertFiniteWeights(buffer, specs, where);
  const weights = tf.io.decodeWeights(buffer, specs) as Record<string, tf.Tensor>;
  const out: LoadedArtifacts = { config: topo.config, weights };
  if (a.userDefinedMetadata)
    out.userDefinedMetadata = a.userDefinedMetadata as Record<string, unknown>;
  return out;
}

/**
 * Load a saved model of any kind: `build` checks the config and constructs the model (inside
 * `withoutRandomInit`: its parameters are overwritten by the saved weights, so drawing random
 * ones would be wasted work). On any error
 * the half-built model is disposed, so a failed load leaks nothing.
 *
 * @example
 * const { model } = await loadModel(handler, 'seqlab-seq2seq', (config) => new Seq2Seq(config));
 */
export async function loadModel<M extends { params: ParamStore; dispose(): void }>(
  handler: tf.io.IOHandler,
  format: string,
  build: (config: unknown, data: { bytes: number }) => M,
  where = 'model.json',
): Promise<{ model: M; userDefinedMetadata?: Record<string, unknown> }> {
  let model: M | null = null;
  try {
    const loaded = await loadParams(
      handler,
      format,
      (config, data) => {
        model = withoutRandomInit(() => build(config, data));
        return model.params.shapes();
      },
      where,
    );
    const m = model as unknown as M;
    try {
      m.params.assign(loaded.weights);
    } finally {
      for (const t of Object.values(loaded.weights)) t.dispose();
    }
    return loaded.userDefinedMetadata
      ? { model: m, userDefinedMetadata: loaded.userDefinedMetadata }
      : { model: m };
  } catch (e) {
    (model as M | null)?.dispose();
    throw e;
  }
}
