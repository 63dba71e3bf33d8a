// SimpleRNN, GRU and Bidirectional against tf.layers with the same weights (incl. masking), gradients, leaks.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bidirectional,
  gru,
  initGRUWeights,
  initLSTMWeights,
  initSimpleRNNWeights,
  lstm,
  simpleRNN,
} from '../src/index';
import { BACKENDS, checkGradient, expectClose, rand, useBackend } from './helpers';

const [B, T, IN, U] = [3, 5, 4, 6];
const LENGTHS = [5, 3, 2];

function paddedInput(seed: number): { x: tf.Tensor3D; mask: tf.Tensor2D } {
  const xv = rand([B, T, IN], seed).arraySync() as number[][][];
  for (let i = 0; i < B; i++)
    for (let s = LENGTHS[i] as number; s < T; s++) (xv[i] as number[][])[s] = new Array(IN).fill(0);
  return {
    x: tf.tensor3d(xv),
    mask: tf.tensor2d(LENGTHS.map((L) => Array.from({ length: T }, (_, s) => (s < L ? 1 : 0)))),
  };
}

function run(
  layer: tfl.layers.Layer,
  x: tf.Tensor3D,
  masking: boolean,
  weights: tf.Tensor[],
): tf.Tensor[] {
  const input = tfl.input({ shape: [T, IN] });
  const inner = masking
    ? (tfl.layers.masking({ maskValue: 0 }).apply(input) as tfl.SymbolicTensor)
    : input;
  const out = layer.apply(inner) as tfl.SymbolicTensor | tfl.SymbolicTensor[];
  const model = tfl.model({ inputs: input, outputs: out });
  layer.setWeights(weights);
  const y = model.predict(x);
  const ys = Array.isArray(y) ? y : [y];
  const copies = ys.map((t) => t.clone());
  tf.dispose(ys);
  model.dispose();
  return copies;
}

const zerosInit = { kernelInitializer: 'zeros', recurrentInitializer: 'zeros' } as const;

describe.each(BACKENDS)('recurrent layers on %s', (backend) => {
  beforeAll(async () => useBackend(backend));

  it.each([
    ['tanh', false],
    ['relu', true],
  ] as const)('simpleRNN %s (masking %s) matches tf.layers.simpleRNN', (activation, masking) => {
    const w = initSimpleRNNWeights(IN, U, { seed: 4 });
    w.bias.dispose();
    w.bias = rand([U], 5, 0.3) as tf.Tensor1D;
    const { x, mask } = paddedInput(6);
    for (const goBackwards of [false, true]) {
      const [seq, h] = run(
        tfl.layers.simpleRNN({
          units: U,
          activation,
          returnSequences: true,
          returnState: true,
          goBackwards,
          ...zerosInit,
        }),
        x,
        masking,
        [w.kernel, w.recurrentKernel, w.bias],
      );
      const ours = simpleRNN(x, w, { activation, mask: masking ? mask : undefined, goBackwards });
      expectClose(ours.sequence as tf.Tensor, seq as tf.Tensor);
      expectClose(ours.h, h as tf.Tensor);
      tf.dispose([seq, h, ours.sequence as tf.Tensor, ours.h]);
    }
    tf.dispose([x, mask, w.kernel, w.recurrentKernel, w.bias]);
  });

  it.each([false, true])('gru (masking %s) matches tf.layers.gru', (masking) => {
    const w = initGRUWeights(IN, U, { seed: 7 });
    w.bias.dispose();
    w.bias = rand([3 * U], 8, 0.3) as tf.Tensor1D;
    const { x, mask } = paddedInput(9);
    const [seq, h] = run(
      tfl.layers.gru({
        units: U,
        recurrentActivation: 'sigmoid',
        returnSequences: true,
        returnState: true,
        ...zerosInit,
      }),
      x,
      masking,
      [w.kernel, w.recurrentKernel, w.bias],
    );
    const ours = gru(x, w, { mask: masking ? mask : undefined });
    expectClose(ours.sequence as tf.Tensor, seq as tf.Tensor);
    expectClose(ours.h, h as tf.Tensor);
    tf.dispose([
      x,
      mask,
      seq,
      h,
      ours.sequence as tf.Tensor,
      ours.h,
      w.kernel,
      w.recurrentKernel,
      w.bias,
    ]);
  });

  it.each(['concat', 'sum'] as const)(
    'bidirectional lstm (%s, masked) matches tf.layers.bidirectional',
    (mergeMode) => {
      const wf = initLSTMWeights(IN, U, { seed: 10 });
      const wb = initLSTMWeights(IN, U, { seed: 20 });
      const { x, mask } = paddedInput(11);
      const layer = tfl.layers.bidirectional({
        layer: tfl.layers.lstm({
          units: U,
          recurrentActivation: 'sigmoid',
          returnSequences: true,
          ...zerosInit,
        }) as tfl.RNN,
        mergeMode,
      });
      const [ref] = run(layer, x, true, [
        wf.kernel,
        wf.recurrentKernel,
        wf.bias,
        wb.kernel,
        wb.recurrentKernel,
        wb.bias,
      ]);
      const ours = bidirectional(
        x,
        (xx, o) => lstm(xx, wf, o),
        (xx, o) => lstm(xx, wb, o),
        { mergeMode, mask },
      );
      expectClose(ours.output, ref as tf.Tensor);
      tf.dispose([
        x,
        mask,
        ref,
        ours.output,
        ours.forward.h,
        ours.backward.h,
        ours.forward.sequence as tf.Tensor,
        ours.backward.sequence as tf.Tensor,
      ]);
      tf.dispose([wf.kernel, wf.recurrentKernel, wf.bias, wb.kernel, wb.recurrentKernel, wb.bias]);
    },
  );

  it('gru and simpleRNN gradients match finite differences; no leaks', () => {
    const x = rand([2, 4, 3], 12) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ]);
    const gw = initGRUWeights(3, 4, { seed: 13 });
    const sw = initSimpleRNNWeights(3, 4, { seed: 14 });
    const gLoss = (rk: tf.Tensor) =>
      tf.sum(
        tf.sin(
          gru(x, { ...gw, recurrentKernel: rk as tf.Tensor2D }, { mask }).sequence as tf.Tensor,
        ),
      ) as tf.Scalar;
    const sLoss = (k: tf.Tensor) =>
      tf.sum(
        tf.sin(simpleRNN(x, { ...sw, kernel: k as tf.Tensor2D }, { mask }).sequence as tf.Tensor),
      ) as tf.Scalar;
    const [gg] = tf.grads(gLoss)([gw.recurrentKernel]);
    const [sg] = tf.grads(sLoss)([sw.kernel]);
    checkGradient(gLoss, gw.recurrentKernel, gg as tf.Tensor);
    checkGradient(sLoss, sw.kernel, sg as tf.Tensor);
    const before = tf.memory().numTensors;
    tf.dispose(tf.grads(gLoss)([gw.recurrentKernel]));
    tf.dispose(tf.grads(sLoss)([sw.kernel]));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([
      x,
      mask,
      gg as tf.Tensor,
      sg as tf.Tensor,
      ...Object.values(gw),
      ...Object.values(sw),
    ]);
  });
});
