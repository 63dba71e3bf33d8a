// Training: leak-free steps, non-finite guard, validation + early stopping, exact checkpoint resume.

import { Seq2Seq, type Seq2SeqBatch, type TrainableModel } from '@seqlab/seq2seq';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { reverseBatches, TINY, useCpu } from '../../seq2seq/test/helpers';
import {
  Adam,
  ArrayBatchSource,
  decodeCheckpoint,
  encodeCheckpoint,
  MemoryCheckpointStore,
  readCheckpointMeta,
  Trainer,
  trainStep,
} from '../src/index';

beforeAll(useCpu);

const CFG = { ...TINY, dropout: 0.2, labelSmoothing: 0.1 };

describe('train step', () => {
  test('no tensor leaks and the loss goes down', () => {
    const model = new Seq2Seq(CFG);
    const opt = new Adam({ lr: 0.02 });
    const [batch] = reverseBatches(1, 8, 6, 4, 1) as [Seq2SeqBatch];
    trainStep(model, opt, batch, 1, { clipNorm: 5, nonFiniteLrFactor: 0.5 }); // creates Adam slots
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let i = 0; i < 15; i++)
      losses.push(trainStep(model, opt, batch, i, { clipNorm: 5, nonFiniteLrFactor: 0.5 }).loss);
    expect(tf.memory().numTensors).toBe(before);
    expect(losses.at(-1) as number).toBeLessThan((losses[0] as number) * 0.8);
    opt.dispose();
    model.dispose();
  });

  test('NaN loss and NaN gradients: step skipped, lr reduced, reported, weights untouched', async () => {
    const model = new Seq2Seq(CFG);
    let mode: 'ok' | 'nan-loss' | 'nan-grad' = 'ok';
    // Wrapper that poisons either the loss value or only the gradients (sqrt'(0) = Inf, times 0 → NaN).
    const poisoned: TrainableModel<Seq2SeqBatch> = {
      params: model.params,
      config: model.config,
      countTokens: (b) => model.countTokens(b),
      dispose: () => model.dispose(),
      loss: (b, o) =>
        tf.tidy(() => {
          const l = model.loss(b, o);
          if (mode === 'nan-loss') return tf.mul(l, Number.NaN) as tf.Scalar;
          if (mode === 'nan-grad')
            return tf.add(
              l,
              tf.sqrt(tf.mul(tf.sum(model.params.get('decoder/out/bias')), 0)),
            ) as tf.Scalar;
          return l;
        }),
    };
    const batches = reverseBatches(4, 4, 6, 4, 2);
    const events: { step: number; newLr: number }[] = [];
    const trainer = new Trainer({
      model: poisoned,
      data: new ArrayBatchSource(batches, { shuffle: false }),
      maxSteps: 1,
      optimizer: { lr: 0.01 },
      callbacks: { onNonFinite: (e) => events.push(e) },
    });
    await trainer.run();
    for (const m of ['nan-loss', 'nan-grad'] as const) {
      mode = m;
      const w = model.params.read();
      const it = trainer.optimizer.iterations;
      const summary = await trainer.run({ maxSteps: trainer.step + 1 });
      expect(summary.skippedSteps).toBe(1);
      expect(trainer.optimizer.iterations).toBe(it);
      const after = model.params.read();
      for (const [n, v] of Object.entries(w)) expect(after[n]).toEqual(v);
    }
    expect(events.map((e) => e.newLr)).toEqual([0.005, 0.0025]);
    mode = 'ok';
    trainer.dispose();
    model.dispose();
  });

  test('persistent non-finite steps abort with a clear error', async () => {
    const model = new Seq2Seq(CFG);
    const bad: TrainableModel<Seq2SeqBatch> = {
      params: model.params,
      config: model.config,
      countTokens: () => 1,
      dispose: () => model.dispose(),
      loss: (b, o) =>
        tf.tidy(() => tf.mul(model.loss(b, o), Number.POSITIVE_INFINITY) as tf.Scalar),
    };
    const trainer = new Trainer({
      model: bad,
      data: new ArrayBatchSource(reverseBatches(2, 2, 6, 3, 3)),
      maxSteps: 20,
      maxNonFiniteInRow: 3,
    });
    await expect(trainer.run()).rejects.toThrow(/3 consecutive non-finite steps/);
    trainer.dispose();
    model.dispose();
  });
});

describe('trainer', () => {
  test('validation is recorded, early stopping triggers, epochs and callbacks fire', async () => {
    const model = new Seq2Seq(CFG);
    const metrics = [0.1, 0.3, 0.2, 0.25, 0.29, 0.5];
    const seen: { metric: number; best: number; improved: boolean }[] = [];
    let epochs = 0;
    let steps = 0;
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(reverseBatches(2, 4, 6, 3, 4)),
      epochs: 10,
      seed: 1,
      validate: () => metrics[seen.length] as number,
      earlyStopping: { patience: 3 },
      callbacks: {
        onValidation: (e) => seen.push(e),
        onEpoch: () => epochs++,
        onStep: (e) => {
          steps++;
          expect(e.tokensPerSec).toBeGreaterThan(0);
        },
      },
    });
    const summary = await trainer.run();
    expect(seen.map((e) => e.improved)).toEqual([true, true, false, false, false]);
    expect(summary).toMatchObject({ stoppedEarly: true, bestMetric: 0.3, steps: 10 });
    expect(epochs).toBe(5);
    expect(steps).toBe(10);
    trainer.dispose();
    model.dispose();
  });

  test('resume from a checkpoint continues bit-identically (cpu)', async () => {
    const batches = reverseBatches(3, 4, 6, 4, 7);
    const N = 8; // spans 2+ epochs so the shuffled data position matters
    const straightModel = new Seq2Seq(CFG);
    const straight = new Trainer({
      model: straightModel,
      data: new ArrayBatchSource(batches, { seed: 3 }),
      maxSteps: N,
      seed: 11,
      optimizer: { lr: 0.01 },
    });
    await straight.run();

    const store = new MemoryCheckpointStore();
    const firstModel = new Seq2Seq(CFG);
    const first = new Trainer({
      model: firstModel,
      data: new ArrayBatchSource(batches, { seed: 3 }),
      maxSteps: N / 2 + 1,
      seed: 11,
      optimizer: { lr: 0.01 },
      checkpoint: { store },
    });
    await first.run();
    first.dispose();
    firstModel.dispose();

    // Fresh objects, as in a new process: config from the checkpoint, different init seed, different trainer seed.
    const meta = await readCheckpointMeta(store);
    expect(meta?.step).toBe(N / 2 + 1);
    const resumedModel = new Seq2Seq({ ...(meta?.config as object), seed: 999 });
    const resumed = new Trainer({
      model: resumedModel,
      data: new ArrayBatchSource(batches, { seed: 3 }),
      maxSteps: N,
      seed: 12345,
      optimizer: { lr: 0.5 },
    });
    expect(await resumed.resume(store)).toBe(true);
    await resumed.run();
    expect(resumed.step).toBe(N);
    expect(resumed.optimizer.iterations).toBe(straight.optimizer.iterations);
    const a = straightModel.params.read();
    const b = resumedModel.params.read();
    for (const [n, v] of Object.entries(a)) expect(b[n], n).toEqual(v);
    const ma = straight.optimizer.getState();
    const mb = resumed.optimizer.getState();
    for (const n of Object.keys(ma.m)) expect(mb.m[n]).toEqual(ma.m[n]);
    for (const t of [straight, resumed]) t.dispose();
    straightModel.dispose();
    resumedModel.dispose();
  });

  test('keepBest: the model ends with the best-validated weights, the checkpoint keeps the last, and a resume keeps the best', async () => {
    const batches = reverseBatches(3, 4, 6, 4, 5);
    const metrics = [0.2, 0.9, 0.4, 0.3, 0.1, 0.05];
    const snapshots: Record<string, Float32Array>[] = [];
    const store = new MemoryCheckpointStore();
    const model = new Seq2Seq(CFG);
    let i = 0;
    const trainer = new Trainer({
      model,
      data: new ArrayBatchSource(batches, { seed: 3 }),
      maxSteps: 6,
      validateEvery: 2,
      seed: 2,
      optimizer: { lr: 0.05 },
      keepBest: true,
      checkpoint: { store },
      validate: () => {
        snapshots.push(model.params.read());
        return metrics[i++] as number;
      },
    });
    const summary = await trainer.run(); // validations at steps 2 (0.2), 4 (0.9), 6 (0.4)
    expect(summary.bestStep).toBe(4);
    expect(summary.bestMetric).toBe(0.9);
    for (const [n, v] of Object.entries(model.params.read()))
      expect(v, n).toEqual(snapshots[1]?.[n]);
    // The checkpoint holds the last (step 6) weights to continue from, and the best as `best/…`.
    const ckpt = decodeCheckpoint((await store.load()) as Uint8Array);
    expect(ckpt.meta.step).toBe(6);
    expect(ckpt.meta.trainer.bestStep).toBe(4);
    const someName = Object.keys(snapshots[2] ?? {})[0] as string;
    expect(ckpt.tensors[`param/${someName}`]?.data).toEqual(snapshots[2]?.[someName]);
    expect(ckpt.tensors[`best/${someName}`]?.data).toEqual(snapshots[1]?.[someName]);

    // Resume in a new trainer and run 2 more steps whose validation is worse: still the step-4 weights.
    const model2 = new Seq2Seq({ ...CFG, seed: 77 });
    const again = new Trainer({
      model: model2,
      data: new ArrayBatchSource(batches, { seed: 3 }),
      maxSteps: 8,
      validateEvery: 2,
      keepBest: true,
      validate: () => metrics[i++] as number,
    });
    expect(await again.resume(store)).toBe(true);
    const before = tf.memory().numTensors;
    const s2 = await again.run();
    expect(tf.memory().numTensors).toBe(before);
    expect(s2.bestStep).toBe(4);
    for (const [n, v] of Object.entries(model2.params.read()))
      expect(v, n).toEqual(snapshots[1]?.[n]);
    for (const t of [trainer, again]) t.dispose();
    model.dispose();
    model2.dispose();
  });

  test('checkpoint bytes are validated', () => {
    const bytes = encodeCheckpoint({
      meta: {
        config: {},
        step: 1,
        epoch: 0,
        dataPosition: null,
        rng: { s: 1 },
        optimizer: { config: { lr: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 }, iterations: 1 },
        trainer: { bestMetric: null, badValidations: 0, lastMetric: null },
        createdAt: '',
      },
      tensors: { 'param/w': { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) } },
    });
    expect(decodeCheckpoint(bytes).tensors['param/w']?.data).toEqual(
      new Float32Array([1, 2, 3, 4]),
    );
    expect(() => decodeCheckpoint(bytes.slice(0, bytes.length - 3))).toThrow(/truncated/);
    const flipped = bytes.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0xff;
    expect(() => decodeCheckpoint(flipped)).toThrow(/checksum mismatch/);
    expect(() => decodeCheckpoint(new Uint8Array(20))).toThrow(/bad magic/);
  });
});

describe('Adam', () => {
  test('matches the textbook update; clipping scale and missing gradients; moments by name round-trip', () => {
    const model = new Seq2Seq(CFG);
    const names = model.params.names();
    const [a, b] = names as [string, string];
    const pa = model.params.get(a);
    const before = pa.dataSync().slice();
    const g = tf.randomNormal(pa.shape, 0, 1, 'float32', 4);
    const opt = new Adam({ lr: 0.1 });
    opt.apply(model.params, { [a]: g }, 0.5); // b has no gradient
    const gv = g.dataSync();
    const after = pa.dataSync();
    for (let i = 0; i < 5; i++) {
      // t = 1: m̂ = g', v̂ = g'², step = lr·g'/(|g'| + ε) with g' = 0.5·g
      const gs = 0.5 * (gv[i] as number);
      const want = (before[i] as number) - (0.1 * gs) / (Math.abs(gs) + 1e-8);
      expect(after[i]).toBeCloseTo(want, 5);
    }
    const st = opt.getState();
    expect(st.m[b]?.every((x) => x === 0)).toBe(true);
    expect(st.iterations).toBe(1);
    const copy = new Adam();
    copy.setState(st, model.params);
    expect(copy.getState()).toEqual(st);
    expect(() => copy.apply(model.params, { [a]: tf.zeros([1]) })).toThrow(
      /gradient for '.*' has shape \[1\], the parameter has/,
    );
    expect(() =>
      copy.setState({ ...st, m: { ...st.m, nope: new Float32Array(1) } }, model.params),
    ).toThrow(/moment 'm\/nope' has no matching parameter/);
    tf.dispose(g);
    for (const o of [opt, copy]) o.dispose();
    model.dispose();
  });
});
