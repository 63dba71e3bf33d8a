// End to end: a tiny encoder-decoder built from the fused pieces learns to copy sequences (cpu and wasm).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  embeddingLookup,
  initLSTMWeights,
  type LSTMWeights,
  lstmTimeMajor,
  sparseSoftmaxCrossEntropy,
} from '../src/index';
import { BACKENDS, useBackend } from './helpers';

describe.each(BACKENDS)('training on %s', (backend) => {
  beforeAll(async () => useBackend(backend));

  it('learns to copy 4-token sequences (loss falls below half its start)', () => {
    const [V, E, H, L, B] = [6, 8, 24, 4, 16];
    // Fixed batch of random sequences over tokens 1..5; decoder input is BOS(=0)-shifted target.
    const rows = Array.from({ length: B }, (_, i) =>
      Array.from({ length: L }, (_, t) => 1 + ((i * 7 + t * 3 + ((i * t) % 5)) % 5)),
    );
    const src = tf.tensor2d(rows, [B, L], 'int32');
    const srcT = tf.transpose(src); // [L, B]
    const decT = tf.transpose(
      tf.concat([tf.zeros([B, 1], 'int32'), tf.slice(src, [0, 0], [B, L - 1])], 1),
    ); // [L, B]
    const labels = tf.reshape(srcT, [L * B]) as tf.Tensor1D;
    const v = (t: tf.Tensor) => tf.variable(t);
    const lw = (w: LSTMWeights) =>
      ({
        kernel: v(w.kernel),
        recurrentKernel: v(w.recurrentKernel),
        bias: v(w.bias),
      }) as unknown as LSTMWeights;
    const emb = v(tf.randomUniform([V, E], -0.5, 0.5, 'float32', 1));
    const enc = lw(initLSTMWeights(E, H, { seed: 2 }));
    const dec = lw(initLSTMWeights(E, H, { seed: 3 }));
    const wOut = v(tf.randomUniform([H, V], -0.3, 0.3, 'float32', 4));
    const opt = tf.train.adam(0.05);
    const loss = () => {
      const e = lstmTimeMajor(embeddingLookup(emb as tf.Tensor2D, srcT) as tf.Tensor3D, enc, {
        returnSequences: false,
      });
      const d = lstmTimeMajor(embeddingLookup(emb as tf.Tensor2D, decT) as tf.Tensor3D, dec, {
        initialState: { h: e.h, c: e.c },
      });
      return sparseSoftmaxCrossEntropy(
        tf.matMul(tf.reshape(d.sequence as tf.Tensor3D, [L * B, H]), wOut),
        labels,
      );
    };
    const losses: number[] = [];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 40; i++) {
      const l = opt.minimize(loss, true) as tf.Scalar;
      losses.push(l.dataSync()[0] as number);
      l.dispose();
      // Adam creates its slots on the first step only; after that the count must stay flat.
      if (i === 1) expect(tf.memory().numTensors).toBeGreaterThan(before);
    }
    const after = tf.memory().numTensors;
    const l2 = opt.minimize(loss, true) as tf.Scalar;
    l2.dispose();
    expect(tf.memory().numTensors).toBe(after);
    expect(losses[losses.length - 1] as number).toBeLessThan((losses[0] as number) / 2);
    opt.dispose();
    tf.dispose([
      src,
      srcT,
      decT,
      labels,
      emb,
      wOut,
      enc.kernel,
      enc.recurrentKernel,
      enc.bias,
      dec.kernel,
      dec.recurrentKernel,
      dec.bias,
    ]);
  });
});
