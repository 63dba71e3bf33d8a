// Test helpers: cpu backend setup and Shapes scenes as labelled tensors.
import '@tensorflow/tfjs-backend-cpu';
import { generateScene, SHAPE_KINDS } from '@seqlab/data';
import * as tf from '@tensorflow/tfjs-core';

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** One-object Shapes scenes as [n, 64, 64, 3] in [0,1] (or box-downscaled to `size`) with shape-type labels [n]. */
export function shapesBatch(
  n: number,
  split: 'train' | 'valid',
  options: { size?: number; sizes?: ('small' | 'large')[] } = {},
): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const pixels = new Float32Array(n * 64 * 64 * 3);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const s = generateScene({
      seed: 21,
      split,
      index: i,
      numObjects: 1,
      ...(options.sizes ? { sizes: options.sizes } : {}),
    });
    for (let p = 0; p < 64 * 64; p++)
      for (let c = 0; c < 3; c++)
        pixels[(i * 64 * 64 + p) * 3 + c] = (s.data[p * 4 + c] as number) / 255;
    labels[i] = SHAPE_KINDS.indexOf(s.objects[0]!.shape);
  }
  const full = tf.tensor4d(pixels, [n, 64, 64, 3]);
  const f = 64 / (options.size ?? 64);
  const x = f > 1 ? tf.tidy(() => tf.avgPool(full, f, f, 'valid')) : full;
  if (x !== full) full.dispose();
  return { x, y: tf.tensor1d(labels, 'int32') };
}
