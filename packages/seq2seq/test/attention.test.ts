// Attention: weights are distributions that respect the mask; decoder gradients match finite differences.
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import { beforeAll, describe, expect, test } from 'vitest';
import { Attention, maskBias, ParamStore, Seq2Seq } from '../src/index';
import { TINY, useCpu } from './helpers';

beforeAll(useCpu);

describe('attention', () => {
  for (const kind of ['additive', 'dot'] as const) {
    test(`${kind}: weights sum to 1 and are 0 on masked slots (property)`, () => {
      const params = new ParamStore();
      const att = new Attention(kind, 4, 3, 5, params, 'att', 1);
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 3 }),
          fc.integer({ min: 1, max: 6 }),
          fc.integer({ min: 0, max: 1000 }),
          (b, t, seed) => {
            // Each row keeps at least its first slot, like a right-padded sequence.
            const lens = Array.from({ length: b }, (_, i) => 1 + ((seed + 7 * i) % t));
            const maskArr = lens.map((l) => Array.from({ length: t }, (_, j) => (j < l ? 1 : 0)));
            const [w, sums] = tf.tidy(() => {
              const memory = tf.randomNormal([b, t, 3], 0, 1, 'float32', seed) as tf.Tensor3D;
              const mask = tf.tensor2d(maskArr);
              const keys = att.precompute(memory);
              const { weights, context } = att.attend(
                tf.randomNormal([b, 4], 0, 1, 'float32', seed + 1) as tf.Tensor2D,
                keys,
                memory,
                maskBias(mask),
              );
              expect(context.shape).toEqual([b, 3]);
              return [weights.arraySync(), tf.sum(weights, 1).arraySync()] as [
                number[][],
                number[],
              ];
            });
            for (let i = 0; i < b; i++) {
              expect(sums[i]).toBeCloseTo(1, 5);
              for (let j = 0; j < t; j++) if (maskArr[i]?.[j] === 0) expect(w[i]?.[j]).toBe(0);
            }
          },
        ),
        { numRuns: 25, seed: 42 },
      );
      params.dispose();
    });
  }

  test('decoder attention matrices from teacher forcing are masked distributions over the source', () => {
    const model = new Seq2Seq({ ...TINY, attention: 'dot' });
    tf.tidy(() => {
      const src = tf.tensor2d(
        [
          [5, 6, 7, 2],
          [8, 2, 0, 0],
        ],
        undefined,
        'int32',
      );
      const tgtIn = tf.tensor2d(
        [
          [1, 7, 6],
          [1, 8, 2],
        ],
        undefined,
        'int32',
      );
      const { attention } = model.forward(src, tgtIn);
      const a = (attention as tf.Tensor3D).arraySync();
      expect(a[1]?.every((row) => row[2] === 0 && row[3] === 0)).toBe(true);
      for (const rows of a)
        for (const row of rows) expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
    });
    model.dispose();
  });
});

describe('gradients', () => {
  for (const attention of ['additive', 'dot'] as const) {
    test(`${attention} decoder gradients match central finite differences`, () => {
      const model = new Seq2Seq({ ...TINY, attention, bidirectional: true, seed: 9 });
      const batch = {
        src: [
          [5, 6, 7, 2],
          [8, 9, 2],
        ],
        tgt: [
          [7, 6, 5, 2],
          [9, 2],
        ],
      };
      const lossOf = () =>
        tf.tidy(() => model.loss(batch, { training: false, seed: 0 }).dataSync()[0] as number);
      const names = model.params.names();
      const checked = names.filter((n) =>
        /attention|combine|decoder\/layer0\/kernel|encoder\/layer0\/bwd\/kernel|bridge0\/h_kernel/.test(
          n,
        ),
      );
      expect(checked.length).toBeGreaterThanOrEqual(attention === 'additive' ? 7 : 5);
      const vars = checked.map((n) => model.params.get(n));
      const { value, grads } = tf.variableGrads(
        () => model.loss(batch, { training: false, seed: 0 }),
        vars,
      );
      value.dispose();
      const eps = 1e-2;
      for (const [k, name] of checked.entries()) {
        const v = vars[k] as tf.Variable;
        const g = (grads[v.name] as tf.Tensor).dataSync();
        const base = v.dataSync().slice();
        // Probe the largest-gradient entry (well above float32 noise) and one fixed entry.
        let big = 0;
        for (let i = 0; i < g.length; i++)
          if (Math.abs(g[i] as number) > Math.abs(g[big] as number)) big = i;
        for (const idx of [big, Math.floor(g.length / 2)]) {
          const probe = (delta: number) => {
            const arr = base.slice();
            arr[idx] = (arr[idx] as number) + delta;
            tf.tidy(() => v.assign(tf.tensor(arr, v.shape)));
            return lossOf();
          };
          const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
          tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
          const analytic = g[idx] as number;
          expect(
            Math.abs(numeric - analytic),
            `${name}[${idx}] numeric ${numeric} analytic ${analytic}`,
          ).toBeLessThan(2e-3 + 0.05 * Math.abs(analytic));
        }
      }
      tf.dispose(Object.values(grads));
      model.dispose();
    });
  }
});
