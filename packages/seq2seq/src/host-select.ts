// Token selection on the host (greedy and beam search on cpu/wasm): shared defaults and maths.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether decoding picks tokens on the host by default: on cpu and wasm, where reading a step's
 * logits is a memory copy; not on webgl/webgpu, where a per-step read stalls the GPU pipeline.
 */
export function hostSelectByDefault(): boolean {
  return ['cpu', 'wasm'].includes(tf.getBackend());
}

/** log Σ exp(row), computed stably: `row[k] - logNormalizer(row)` is log softmax(row)[k]. */
export function logNormalizer(row: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < row.length; k++) if ((row[k] as number) > max) max = row[k] as number;
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += Math.exp((row[k] as number) - max);
  return max + Math.log(sum);
}
