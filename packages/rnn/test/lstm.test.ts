// LSTM: equivalence with tf.layers.lstm (incl. masking, goBackwards, initial state), finite-difference gradients, no leaks.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  initLSTMWeights,
  type LSTMWeights,
  lstm,
  lstmCell,
  lstmGatesStep,
  setFusedLstmKernels,
} from '../src/index';
import { BACKENDS, checkGradient, expectClose, rand, useBackend } from './helpers';

function layersLSTM(
  w: LSTMWeights,
  units: number,
  inSize: number,
  t: number,
  opts: { goBackwards?: boolean; masking?: boolean },
) {
  const input = tfl.input({ shape: [t, inSize] });
  let x: tfl.SymbolicTensor = input;
  if (opts.masking) x = tfl.layers.masking({ maskValue: 0 }).apply(x) as tfl.SymbolicTensor;
  const layer = tfl.layers.lstm({
    units,
    returnSequences: true,
    returnState: true,
    recurrentActivation: 'sigmoid',
    kernelInitializer: 'zeros',
    recurrentInitializer: 'zeros',
    goBackwards: opts.goBackwards ?? false,
  });
  const out = layer.apply(x) as tfl.SymbolicTensor[];
  const model = tfl.model({ inputs: input, outputs: out });
  layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
  return model;
}

// fused = JS gate kernels (cpu, wasm); ops = the tf-ops path that webgl/webgpu take.
const CASES = BACKENDS.flatMap((backend) => [
  [backend, 'fused'],
  [backend, 'ops'],
]);

describe.each(CASES)('lstm on %s (%s path)', (backend, path) => {
  const [b, t, inSize, u] = [3, 5, 4, 6];
  let w: LSTMWeights;
  beforeAll(async () => {
    await useBackend(backend as 'cpu' | 'wasm');
    setFusedLstmKernels(path === 'fused');
    w = initLSTMWeights(inSize, u, { seed: 3 });
    // A random bias exercises every gate block.
    w.bias.dispose();
    w.bias = rand([4 * u], 9, 0.5) as tf.Tensor1D;
  });
  afterAll(() => {
    setFusedLstmKernels(true);
    tf.dispose([w.kernel, w.recurrentKernel, w.bias]);
  });

  it('matches tf.layers.lstm (sequence, h, c)', () => {
    const x = rand([b, t, inSize], 1) as tf.Tensor3D;
    const model = layersLSTM(w, u, inSize, t, {});
    const [seq, h, c] = model.predict(x) as tf.Tensor[];
    const ours = lstm(x, w);
    expectClose(ours.sequence as tf.Tensor, seq as tf.Tensor);
    expectClose(ours.h, h as tf.Tensor);
    expectClose(ours.c, c as tf.Tensor);
    tf.dispose([x, seq, h, c, ours.sequence as tf.Tensor, ours.h, ours.c]);
    model.dispose();
  });

  it('matches tf.layers masking (right padding) and goBackwards', () => {
    for (const goBackwards of [false, true]) {
      const lengths = [5, 3, 1];
      const xv = rand([b, t, inSize], 2).arraySync() as number[][][];
      for (let i = 0; i < b; i++)
        for (let s = lengths[i] as number; s < t; s++)
          (xv[i] as number[][])[s] = new Array(inSize).fill(0);
      const x = tf.tensor3d(xv);
      const mask = tf.tensor2d(
        lengths.map((L) => Array.from({ length: t }, (_, s) => (s < L ? 1 : 0))),
      );
      const model = layersLSTM(w, u, inSize, t, { masking: true, goBackwards });
      const [seq, h, c] = model.predict(x) as tf.Tensor[];
      const ours = lstm(x, w, { mask, goBackwards });
      expectClose(ours.sequence as tf.Tensor, seq as tf.Tensor);
      expectClose(ours.h, h as tf.Tensor);
      expectClose(ours.c, c as tf.Tensor);
      tf.dispose([x, mask, seq, h, c, ours.sequence as tf.Tensor, ours.h, ours.c]);
      model.dispose();
    }
  });

  it('equals stepping lstmCell from an initial state; returnSequences=false gives null', () => {
    const x = rand([b, t, inSize], 4) as tf.Tensor3D;
    const h0 = rand([b, u], 5) as tf.Tensor2D;
    const c0 = rand([b, u], 6) as tf.Tensor2D;
    const ours = lstm(x, w, { initialState: { h: h0, c: c0 }, returnSequences: false });
    expect(ours.sequence).toBeNull();
    let s = { h: h0, c: c0 };
    for (let k = 0; k < t; k++) {
      const xk = tf.squeeze(tf.slice(x, [0, k, 0], [b, 1, inSize]), [1]) as tf.Tensor2D;
      const next = lstmCell(xk, s, w);
      if (k > 0) tf.dispose([s.h, s.c]);
      xk.dispose();
      s = next;
    }
    expectClose(ours.h, s.h);
    expectClose(ours.c, s.c);
    tf.dispose([x, h0, c0, ours.h, ours.c, s.h, s.c]);
  });

  it('gradients match finite differences (x, kernel, recurrent kernel, bias, h0, with mask)', () => {
    const x = rand([2, 4, 3], 7) as tf.Tensor3D;
    const small = initLSTMWeights(3, 4, { seed: 11 });
    const h0 = rand([2, 4], 8, 0.5) as tf.Tensor2D;
    const c0 = rand([2, 4], 12, 0.5) as tf.Tensor2D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
    const proj = rand([4], 13) as tf.Tensor1D;
    const lossOf = (
      xx: tf.Tensor,
      k: tf.Tensor,
      rk: tf.Tensor,
      bb: tf.Tensor,
      hh: tf.Tensor,
    ): tf.Scalar => {
      const r = lstm(
        xx as tf.Tensor3D,
        { kernel: k as tf.Tensor2D, recurrentKernel: rk as tf.Tensor2D, bias: bb as tf.Tensor1D },
        { mask, initialState: { h: hh as tf.Tensor2D, c: c0 } },
      );
      // A loss touching every output: sequence, final h and final c.
      return tf.add(
        tf.sum(tf.mul(tf.sin(r.sequence as tf.Tensor), proj)),
        tf.add(tf.sum(tf.square(r.h)), tf.sum(tf.mul(r.c, r.c))),
      ) as tf.Scalar;
    };
    const grads = tf.grads((xx, k, rk, bb, hh) => lossOf(xx, k, rk, bb, hh))([
      x,
      small.kernel,
      small.recurrentKernel,
      small.bias,
      h0,
    ]);
    const args = [x, small.kernel, small.recurrentKernel, small.bias, h0];
    for (let i = 0; i < args.length; i++) {
      checkGradient(
        (v) =>
          lossOf(
            ...(args.map((a, j) => (j === i ? v : a)) as [
              tf.Tensor,
              tf.Tensor,
              tf.Tensor,
              tf.Tensor,
              tf.Tensor,
            ]),
          ),
        args[i] as tf.Tensor,
        grads[i] as tf.Tensor,
      );
    }
    tf.dispose([x, h0, c0, mask, proj, small.kernel, small.recurrentKernel, small.bias, ...grads]);
  });

  it('lstmGatesStep equals lstmCell from the same pre-activation; its gradients match finite differences', () => {
    const x = rand([b, inSize], 41) as tf.Tensor2D;
    const h0 = rand([b, u], 42) as tf.Tensor2D;
    const c0 = rand([b, u], 43) as tf.Tensor2D;
    const z = tf.tidy(() =>
      tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(h0, w.recurrentKernel)), w.bias),
    ) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const ours = lstmGatesStep(z, c0);
    expect(tf.memory().numTensors).toBe(before + 2);
    const ref = lstmCell(x, { h: h0, c: c0 }, w);
    expectClose(ours.h, ref.h, 1e-5);
    expectClose(ours.c, ref.c, 1e-5);
    const proj = rand([u], 44) as tf.Tensor1D;
    const lossOf = (zz: tf.Tensor, cc: tf.Tensor): tf.Scalar =>
      tf.tidy(() => {
        const r = lstmGatesStep(zz as tf.Tensor2D, cc as tf.Tensor2D);
        return tf.add(tf.sum(tf.mul(tf.sin(r.h), proj)), tf.sum(tf.square(r.c))) as tf.Scalar;
      });
    const [gz, gc] = tf.grads((zz, cc) => lossOf(zz, cc))([z, c0]);
    checkGradient((v) => lossOf(v, c0), z, gz as tf.Tensor, 12);
    checkGradient((v) => lossOf(z, v), c0, gc as tf.Tensor);
    expect(() => lstmGatesStep(c0, c0)).toThrow(/expected z \[b, 4u\]/);
    tf.dispose([
      x,
      h0,
      c0,
      z,
      ours.h,
      ours.c,
      ref.h,
      ref.c,
      proj,
      gz as tf.Tensor,
      gc as tf.Tensor,
    ]);
  });

  it('gradients agree with autodiff through lstmCell', () => {
    const x = rand([2, 3, 4], 21) as tf.Tensor3D;
    const f = (k: tf.Tensor, rk: tf.Tensor) =>
      tf.sum(
        tf.square(
          lstm(x, { kernel: k as tf.Tensor2D, recurrentKernel: rk as tf.Tensor2D, bias: w.bias })
            .sequence as tf.Tensor,
        ),
      ) as tf.Scalar;
    const g = (k: tf.Tensor, rk: tf.Tensor) => {
      let s = { h: tf.zeros([2, u]) as tf.Tensor2D, c: tf.zeros([2, u]) as tf.Tensor2D };
      let total: tf.Tensor = tf.scalar(0);
      for (let i = 0; i < 3; i++) {
        s = lstmCell(tf.squeeze(tf.slice(x, [0, i, 0], [2, 1, 4]), [1]) as tf.Tensor2D, s, {
          kernel: k as tf.Tensor2D,
          recurrentKernel: rk as tf.Tensor2D,
          bias: w.bias,
        });
        total = tf.add(total, tf.sum(tf.square(s.h)));
      }
      return total as tf.Scalar;
    };
    const [a1, a2] = tf.grads(f)([w.kernel, w.recurrentKernel]);
    const [b1, b2] = tf.grads(g)([w.kernel, w.recurrentKernel]);
    expectClose(a1 as tf.Tensor, b1 as tf.Tensor, 1e-5);
    expectClose(a2 as tf.Tensor, b2 as tf.Tensor, 1e-5);
    tf.dispose([x, a1, a2, b1, b2]);
  });

  it('leaks no tensors across inference and a training step', () => {
    const x = rand([b, t, inSize], 31) as tf.Tensor3D;
    const mask = tf.tensor2d([
      [1, 1, 1, 1, 1],
      [1, 1, 1, 0, 0],
      [1, 0, 0, 0, 0],
    ]);
    const vars = {
      k: tf.variable(w.kernel),
      rk: tf.variable(w.recurrentKernel),
      b: tf.variable(w.bias),
    };
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const r = lstm(
          x,
          {
            kernel: vars.k as tf.Tensor2D,
            recurrentKernel: vars.rk as tf.Tensor2D,
            bias: vars.b as tf.Tensor1D,
          },
          { mask },
        );
        return tf.mean(tf.square(r.sequence as tf.Tensor)) as tf.Scalar;
      });
      tf.dispose([value, ...Object.values(grads)]);
    };
    const infer = () => {
      const r = lstm(x, w, { mask });
      tf.dispose([r.sequence as tf.Tensor, r.h, r.c]);
    };
    step();
    infer();
    const before = tf.memory().numTensors;
    step();
    infer();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, mask, vars.k, vars.rk, vars.b]);
  });
});
