// Masked cross-entropy with label smoothing against a hand computation; config validation messages.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { maskedCrossEntropy, resolveConfig, sequenceLogProb } from '../src/index';
import { useCpu } from './helpers';

beforeAll(useCpu);

describe('maskedCrossEntropy', () => {
  const logitsArr = [
    [
      [1, 2, 0.5, -1, 0],
      [0, 0, 3, 1, 2],
    ],
    [
      [2, -2, 1, 0, 1],
      [5, 1, 1, 1, 1],
    ],
  ];
  const targets = [
    [4, 2],
    [3, 0],
  ]; // last position is PAD
  const logSoftmax = (row: number[]) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, x) => a + Math.exp(x - m), 0));
    return row.map((x) => x - lse);
  };

  for (const eps of [0, 0.1]) {
    test(`ignores PAD and matches the formula (ε = ${eps})`, () => {
      let sum = 0;
      let n = 0;
      for (const [i, rows] of logitsArr.entries()) {
        for (const [j, row] of rows.entries()) {
          const y = targets[i]?.[j] as number;
          if (y === 0) continue;
          const lp = logSoftmax(row);
          sum +=
            (1 - eps) * -(lp[y] as number) + eps * -(lp.reduce((a, b) => a + b, 0) / lp.length);
          n++;
        }
      }
      const got = tf.tidy(
        () =>
          maskedCrossEntropy(
            tf.tensor3d(logitsArr),
            tf.tensor2d(targets, undefined, 'int32'),
            eps,
          ).dataSync()[0],
      );
      expect(got).toBeCloseTo(sum / n, 5);
    });
  }

  test('sequenceLogProb sums target log-probs per row', () => {
    const got = tf.tidy(() =>
      Array.from(
        sequenceLogProb(
          tf.tensor3d(logitsArr),
          tf.tensor2d(targets, undefined, 'int32'),
        ).dataSync(),
      ),
    );
    const want = [
      logSoftmax(logitsArr[0]![0]!)[4]! + logSoftmax(logitsArr[0]![1]!)[2]!,
      logSoftmax(logitsArr[1]![0]!)[3]!,
    ];
    expect(got[0]).toBeCloseTo(want[0] as number, 5);
    expect(got[1]).toBeCloseTo(want[1] as number, 5);
  });

  test('shape mismatch is reported', () => {
    expect(() =>
      maskedCrossEntropy(
        tf.zeros([2, 3, 5]) as tf.Tensor3D,
        tf.zeros([2, 2], 'int32') as tf.Tensor2D,
      ),
    ).toThrow(/logits \[2,3,5\] and targets \[2,2\]/);
  });
});

describe('resolveConfig', () => {
  test('fills defaults and rejects invalid fields with what was expected', () => {
    expect(resolveConfig({ hidden: 7 }).hidden).toBe(7);
    expect(resolveConfig().attention).toBe('additive');
    expect(() => resolveConfig({ hidden: 0 })).toThrow(
      /Seq2SeqConfig.hidden: expected a positive integer, got 0/,
    );
    expect(() => resolveConfig({ dropout: 1 })).toThrow(
      /dropout: expected a number in \[0, 1\), got 1/,
    );
    expect(() => resolveConfig({ attention: 'luong' as 'dot' })).toThrow(
      /expected 'additive' \| 'dot' \| 'none', got "luong"/,
    );
    expect(() => resolveConfig({ srcVocab: 4 })).toThrow(/4 specials plus at least one token/);
  });
});
