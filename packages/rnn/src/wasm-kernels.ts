// Kernels tfjs's wasm backend lacks (UnsortedSegmentSum) and a fast route around its slow transposed BatchMatMul.
import * as tf from '@tensorflow/tfjs-core';

/** The parts of BackendWasm we touch (not exported as a type by tfjs-backend-wasm). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
}

/** Heap view; re-read after every makeOutput because the wasm heap may have grown. */
function heap<T extends Float32Array | Int32Array | Uint8Array>(
  b: WasmBackendLike,
  t: tf.TensorInfo,
): T {
  return b.typedArrayFromHeap(t) as T;
}

function unsortedSegmentSumWasm(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const b = args.backend as WasmBackendLike;
  const x = args.inputs.x as tf.TensorInfo;
  const ids = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum (wasm): expected x dtype float32 or int32, got ${x.dtype}`);
  }
  const outer = tf.util.sizeFromShape(ids.shape);
  const inner = outer === 0 ? 0 : tf.util.sizeFromShape(x.shape) / outer;
  const outShape = [numSegments, ...x.shape.slice(ids.shape.length)];
  const out = b.makeOutput(outShape, x.dtype);
  const o = heap<Float32Array>(b, out);
  const xv = heap<Float32Array>(b, x);
  const iv = heap<Int32Array>(b, ids);
  o.fill(0);
  for (let r = 0; r < outer; r++) {
    const s = iv[r] as number;
    if (s < 0 || s >= numSegments) continue; // TF drops out-of-range ids
    const src = r * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] = (o[dst + j] as number) + (xv[src + j] as number);
  }
  return out;
}

let originalMatMul: tf.KernelConfig | undefined;

/**
 * Routes wasm BatchMatMul with transposeA/transposeB through an explicit Transpose first:
 * XNNPACK's packed path only covers the plain layout and tfjs falls back to a slow loop otherwise.
 */
function batchMatMulNoTranspose(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const orig = originalMatMul as tf.KernelConfig;
  const attrs = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  if (!attrs.transposeA && !attrs.transposeB)
    return orig.kernelFunc(args as never) as tf.TensorInfo;
  const transpose = tf.getKernel('Transpose', 'wasm') as tf.KernelConfig;
  const b = args.backend as WasmBackendLike;
  const tmp: tf.TensorInfo[] = [];
  const swapLast = (t: tf.TensorInfo): tf.TensorInfo => {
    const perm = t.shape.map((_, i) => i);
    const r = perm.length;
    perm[r - 1] = r - 2;
    perm[r - 2] = r - 1;
    const out = transpose.kernelFunc({
      inputs: { x: t },
      backend: args.backend,
      attrs: { perm },
    } as never) as tf.TensorInfo;
    tmp.push(out);
    return out;
  };
  const a = attrs.transposeA
    ? swapLast(args.inputs.a as tf.TensorInfo)
    : (args.inputs.a as tf.TensorInfo);
  const bb = attrs.transposeB
    ? swapLast(args.inputs.b as tf.TensorInfo)
    : (args.inputs.b as tf.TensorInfo);
  const out = orig.kernelFunc({
    ...args,
    inputs: { a, b: bb },
    attrs: { ...attrs, transposeA: false, transposeB: false },
  } as never) as tf.TensorInfo;
  for (const t of tmp) b.disposeData(t.dataId);
  return out;
}

/**
 * Registers UnsortedSegmentSum on wasm (embedding gradients need it). Idempotent.
 * @example registerWasmSegmentSum(); // before training with tf.gather on wasm
 */
export function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') == null) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSumWasm as never,
    });
  }
}

/**
 * Turns the transposed-BatchMatMul route on or off (on by default via initBackend('wasm')).
 * Off restores tfjs's own kernel, which the benchmark uses for its stock-tfjs baseline.
 */
export function setWasmMatMulRoute(on: boolean): void {
  const current = tf.getKernel('BatchMatMul', 'wasm');
  if (current == null) return;
  if (on && originalMatMul == null) {
    originalMatMul = current;
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel({ ...current, kernelFunc: batchMatMulNoTranspose as never });
  } else if (!on && originalMatMul != null) {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(originalMatMul);
    originalMatMul = undefined;
  }
}
