import * as tf from '@tensorflow/tfjs-core';
import { test } from 'vitest';
import { Seq2Seq } from '../src/index';
import { reverseBatches, useCpu } from './helpers';
test('prof', async () => {
  await useCpu();
  const model = new Seq2Seq({ srcVocab: 34, tgtVocab: 34, embDim: 16, hidden: 64, encoderHidden: 32, attentionDim: 32, dropout: 0, labelSmoothing: 0, maxLen: 8, seed: 1 });
  const b = reverseBatches(1, 32, 30, 6, 11)[0]!;
  const run = () => { const { value, grads } = tf.variableGrads(() => model.loss(b, { training: true, seed: 1 })); value.dataSync(); tf.dispose(value); tf.dispose(Object.values(grads)); };
  run();
  const p = await tf.profile(() => { run(); return tf.scalar(0); });
  const agg: Record<string, [number, number]> = {};
  for (const k of p.kernels) { const a = agg[k.name] ?? [0, 0]; a[0] += k.kernelTimeMs as number; a[1]++; agg[k.name] = a; }
  console.log(Object.entries(agg).sort((a, b) => b[1][0] - a[1][0]).slice(0, 14).map(([n, [t, c]]) => `${n} ${t.toFixed(0)}ms x${c}`).join('\n'));
});
