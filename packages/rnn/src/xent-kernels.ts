// Fused softmax cross-entropy kernels for cpu and wasm: one pass over the logits forward, one backward.
import * as tf from '@tensorflow/tfjs-core';
import { mem, viewInt } from './fused-kernels';

export const XENT = 'SeqlabSoftmaxXent';
export const XENT_GRAD = 'SeqlabSoftmaxXentGrad';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown };

/** logits [N, V], labels int32 [N] → rowLoss [N] (-log p[label]) and probs [N, V] (softmax, kept for backward). */
function xent(args: KernelArgs): tf.TensorInfo[] {
  const m = mem(args.backend);
  const { logits, labels } = args.inputs as Record<string, tf.TensorInfo>;
  const [n, v] = (logits as tf.TensorInfo).shape as [number, number];
  const outs = [m.alloc([n]), m.alloc([n, v])];
  const [loss, probs] = outs.map((o) => m.view(o)) as [Float32Array, Float32Array];
  const L = m.view(logits as tf.TensorInfo);
  const Y = viewInt(m, labels as tf.TensorInfo);
  for (let r = 0; r < n; r++) {
    const o = r * v;
    let max = -Infinity;
    for (let j = 0; j < v; j++) max = Math.max(max, L[o + j] as number);
    let sum = 0;
    for (let j = 0; j < v; j++) {
      const e = Math.exp((L[o + j] as number) - max);
      probs[o + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < v; j++) probs[o + j] = (probs[o + j] as number) * inv;
    const y = Y[r] as number;
    // log-sum-exp form keeps the loss exact even when p[label] underflows.
    loss[r] = Math.log(sum) + max - (L[o + y] as number);
  }
  return outs;
}

/** probs [N, V], labels [N], rowGrad [N] (dLoss/dRowLoss) → dLogits [N, V] = (probs - onehot) * rowGrad. */
function xentGrad(args: KernelArgs): tf.TensorInfo {
  const m = mem(args.backend);
  const { probs, labels, rowGrad } = args.inputs as Record<string, tf.TensorInfo>;
  const [n, v] = (probs as tf.TensorInfo).shape as [number, number];
  const out = m.alloc([n, v]);
  const D = m.view(out);
  const P = m.view(probs as tf.TensorInfo);
  const Y = viewInt(m, labels as tf.TensorInfo);
  const G = m.view(rowGrad as tf.TensorInfo);
  for (let r = 0; r < n; r++) {
    const g = G[r] as number;
    const o = r * v;
    if (g === 0) {
      D.fill(0, o, o + v);
      continue;
    }
    for (let j = 0; j < v; j++) D[o + j] = (P[o + j] as number) * g;
    D[o + (Y[r] as number)] = (D[o + (Y[r] as number)] as number) - g;
  }
  return out;
}

let registered = false;

/** Registers the fused cross-entropy kernels on cpu and wasm (idempotent). */
export function registerXentKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ['cpu', 'wasm']) {
    tf.registerKernel({ kernelName: XENT, backendName, kernelFunc: xent as never });
    tf.registerKernel({ kernelName: XENT_GRAD, backendName, kernelFunc: xentGrad as never });
  }
}
