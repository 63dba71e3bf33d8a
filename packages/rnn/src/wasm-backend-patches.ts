// Patches for tfjs's wasm backend, as JS kernel functions (not WebAssembly of ours): the UnsortedSegmentSum kernel it lacks and a fast route around its slow transposed BatchMatMul.
import * as tf from '@tensorflow/tfjs-core';
import { mem, viewInt } from './fused-kernels';

/** The parts of BackendWasm we touch (not exported as a type by tfjs-backend-wasm). */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: tf.DataId): boolean;
}

/** Segment sum in one pass over backend memory; the wasm backend lacks the kernel and the cpu one is quadratic. */
function unsortedSegmentSum(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}): tf.TensorInfo {
  const x = args.inputs.x as tf.TensorInfo;
  const ids = args.inputs.segmentIds as tf.TensorInfo;
  const numSegments = (args.attrs as { numSegments: number }).numSegments;
  if (x.dtype !== 'float32') {
    if (originalCpuSegmentSum && !('makeOutput' in (args.backend as object))) {
      return originalCpuSegmentSum.kernelFunc(args as never) as tf.TensorInfo;
    }
    throw new Error(`UnsortedSegmentSum: expected x dtype float32, got ${x.dtype}`);
  }
  const m = mem(args.backend);
  const outer = tf.util.sizeFromShape(ids.shape);
  const inner = outer === 0 ? 0 : tf.util.sizeFromShape(x.shape) / outer;
  const out = m.alloc([numSegments, ...x.shape.slice(ids.shape.length)]);
  // Views after the allocation: a growing wasm heap detaches older ones.
  const o = m.view(out);
  const xv = m.view(x);
  const iv = viewInt(m, ids);
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

let originalCpuSegmentSum: tf.KernelConfig | undefined;

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
 * Registers a linear-time UnsortedSegmentSum (embedding gradients) on wasm, which lacks it, and
 * on cpu, whose own kernel is quadratic (a 320-row embedding gradient took ~30 s). Idempotent.
 * @example registerWasmSegmentSum(); // before training with tf.gather on wasm or cpu
 */
export function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') == null) {
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'wasm',
      kernelFunc: unsortedSegmentSum as never,
    });
  }
  const cpu = tf.getKernel('UnsortedSegmentSum', 'cpu');
  if (cpu != null && originalCpuSegmentSum == null) {
    originalCpuSegmentSum = cpu;
    tf.unregisterKernel('UnsortedSegmentSum', 'cpu');
    tf.registerKernel({
      kernelName: 'UnsortedSegmentSum',
      backendName: 'cpu',
      kernelFunc: unsortedSegmentSum as never,
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
