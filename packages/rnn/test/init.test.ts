// Initializers (seeded, orthogonal really orthogonal, unit forget bias) and backend selection.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  glorotUniform,
  identity,
  initBackend,
  initLSTMWeights,
  orthogonal,
  randomInitSkipped,
  withoutRandomInit,
} from '../src/index';

describe('initializers', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });
  it('withoutRandomInit: initialisers give zeros inside (nested too), seeded values again after, even after a throw', () => {
    const seeded = orthogonal(8, 32, 3);
    const inside = withoutRandomInit(() => {
      expect(randomInitSkipped()).toBe(true);
      withoutRandomInit(() => undefined);
      return [orthogonal(8, 32, 3), glorotUniform(4, 6, 1)];
    });
    for (const a of inside) expect(a.every((v) => v === 0)).toBe(true);
    expect(() =>
      withoutRandomInit(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(randomInitSkipped()).toBe(false);
    expect(orthogonal(8, 32, 3)).toEqual(seeded);
  });

  it('orthogonal: rows orthonormal when wide, columns orthonormal when tall; seeded', () => {
    for (const [r, c] of [
      [8, 32],
      [32, 8],
      [16, 16],
    ] as const) {
      const q = orthogonal(r, c, 3);
      const wide = r <= c;
      const n = wide ? r : c;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let k = 0; k < (wide ? c : r); k++)
            dot += wide
              ? (q[i * c + k] as number) * (q[j * c + k] as number)
              : (q[k * c + i] as number) * (q[k * c + j] as number);
          expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-5);
        }
      }
      expect(orthogonal(r, c, 3)).toEqual(q);
      expect(orthogonal(r, c, 4)).not.toEqual(q);
    }
  });

  it('orthogonal 256x1024 is fast (well under a second of CPU time)', () => {
    // CPU time, not wall time: the machine is shared and wall time swings with load.
    const t0 = process.cpuUsage();
    orthogonal(256, 1024, 1);
    const used = process.cpuUsage(t0);
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
  });

  it('glorotUniform stays within the limit; identity is the identity', () => {
    const g = glorotUniform(10, 30, 1);
    const lim = Math.sqrt(6 / 40);
    expect(g.every((v) => Math.abs(v) <= lim)).toBe(true);
    expect(Math.max(...g)).toBeGreaterThan(lim * 0.8);
    expect(Array.from(identity(2, 3))).toEqual([1, 0, 0, 0, 1, 0]);
    expect(() => glorotUniform(0, 3)).toThrow(/positive integer/);
  });

  it('initLSTMWeights: shapes and unit forget bias', () => {
    const w = initLSTMWeights(5, 3, { seed: 2 });
    expect(w.kernel.shape).toEqual([5, 12]);
    expect(w.recurrentKernel.shape).toEqual([3, 12]);
    expect(Array.from(w.bias.dataSync())).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
    const nb = initLSTMWeights(5, 3, { unitForgetBias: false });
    expect(nb.bias.dataSync().every((v) => v === 0)).toBe(true);
    tf.dispose([w.kernel, w.recurrentKernel, w.bias, nb.kernel, nb.recurrentKernel, nb.bias]);
  });
});

describe('initBackend', () => {
  it('picks wasm in Node, honours a preference, rejects unknown names', async () => {
    expect(await initBackend()).toBe('wasm');
    expect(await initBackend('cpu')).toBe('cpu');
    // webgl cannot start in Node: falls back to the Node order.
    expect(await initBackend('webgl')).toBe('wasm');
    await expect(initBackend('tpu' as never)).rejects.toThrow(/valid: wasm, cpu, webgl, webgpu/);
  });
});
