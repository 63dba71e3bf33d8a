// Decoder without input feeding: teacher-forced logits equal step-by-step decoding (training it: packages/train/test/parallel-decoder.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { disposeMemory, disposeState, padIds, Seq2Seq } from '../src/index';
import { TINY, useCpu } from './helpers';

beforeAll(useCpu);

describe('decoder without input feeding (parallel teacher forcing)', () => {
  for (const attention of ['dot', 'additive', 'none'] as const) {
    test(`${attention}: teacher-forced logits equal step-by-step decoding`, () => {
      const m = new Seq2Seq({ ...TINY, attention, inputFeeding: false });
      const src = padIds([
        [4, 5, 6, 2],
        [7, 8, 2],
      ]);
      const tgtIn = tf.tensor2d(
        [
          [1, 6, 5, 4],
          [1, 8, 7, 2],
        ],
        [2, 4],
        'int32',
      );
      const { logits, attention: att } = m.forward(src, tgtIn);
      const { mem, state } = m.start(src);
      let s = state;
      const steps: tf.Tensor2D[] = [];
      for (let t = 0; t < 4; t++) {
        const tok = tf.squeeze(tf.slice(tgtIn, [0, t], [2, 1]), [1]) as tf.Tensor1D;
        const out = m.decoder.step(mem, s, tok);
        if (t > 0) disposeState(s);
        s = out.state;
        steps.push(out.logits);
        out.attention?.dispose();
        tok.dispose();
      }
      const stepped = tf.stack(steps, 1);
      expect(tf.max(tf.abs(tf.sub(stepped, logits))).dataSync()[0]).toBeLessThan(1e-5);
      if (attention !== 'none') {
        expect(att?.shape).toEqual([2, 4, 4]);
        const sums = tf.sum(att as tf.Tensor3D, 2).dataSync();
        for (const v of sums) expect(v).toBeCloseTo(1, 5);
        // Padding of the shorter source gets no weight.
        expect((att as tf.Tensor3D).arraySync()[1]?.every((row) => row[3] === 0)).toBe(true);
      }
      tf.dispose([src, tgtIn, logits, stepped, ...steps, ...(att ? [att] : [])]);
      disposeMemory(mem);
      disposeState(state);
      disposeState(s);
      m.dispose();
    });
  }
});
