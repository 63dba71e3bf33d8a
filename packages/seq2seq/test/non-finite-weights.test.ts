// Reliability class 4: a model folder with NaN or ±Inf in any weight (float32, float16 or 8-bit encoded) is refused at load, naming the weight.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CaptionModel,
  loadCaptionModel,
  loadSeq2Seq,
  type Quantization,
  Seq2Seq,
  saveCaptionModel,
  saveSeq2Seq,
} from '../src/index';
import { TINY, useCpu } from './helpers';

beforeAll(useCpu);

const TINY_CAPTION = {
  vocab: 9,
  imageSize: 8,
  channels: [2, 3],
  strides: [2, 2],
  embDim: 4,
  hidden: 5,
  attentionDim: 3,
  maxLen: 5,
  seed: 2,
};

type Saveable = Seq2Seq | CaptionModel;

async function capture(model: Saveable, quantization: Quantization): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  const handler = tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  });
  if (model instanceof Seq2Seq) await saveSeq2Seq(model, handler, { quantization });
  else await saveCaptionModel(model, handler, { quantization });
  return saved as unknown as tf.io.ModelArtifacts;
}

/** Byte offset of each weight in the artifacts' weight data. */
function offsets(a: tf.io.ModelArtifacts): Map<string, number> {
  const out = new Map<string, number>();
  let off = 0;
  for (const s of a.weightSpecs ?? []) {
    out.set(s.name, off);
    const per = s.quantization ? (s.quantization.dtype === 'uint8' ? 1 : 2) : 4;
    off += tf.util.sizeFromShape(s.shape) * per;
  }
  return out;
}

function withValue(
  a: tf.io.ModelArtifacts,
  name: string,
  index: number,
  value: number,
): tf.io.ModelArtifacts {
  const data = (a.weightData as ArrayBuffer).slice(0);
  const view = new DataView(data);
  const off = offsets(a).get(name) as number;
  const spec = (a.weightSpecs ?? []).find((s) => s.name === name) as tf.io.WeightsManifestEntry;
  if (spec.quantization?.dtype === 'float16') {
    const bits = Number.isNaN(value) ? 0x7e00 : value > 0 ? 0x7c00 : 0xfc00;
    view.setUint16(off + 2 * index, bits, true);
  } else view.setFloat32(off + 4 * index, value, true);
  return { ...a, weightData: data };
}

function withQuantization(
  a: tf.io.ModelArtifacts,
  name: string,
  patch: { scale?: number; min?: number },
): tf.io.ModelArtifacts {
  return {
    ...a,
    weightSpecs: (a.weightSpecs ?? []).map((s) =>
      s.name === name
        ? { ...s, quantization: { ...s.quantization, ...patch } as typeof s.quantization }
        : s,
    ),
  };
}

const load = (kind: 'seq2seq' | 'caption', a: tf.io.ModelArtifacts) =>
  kind === 'seq2seq'
    ? loadSeq2Seq(tf.io.fromMemory(a), 'bad/model.json')
    : loadCaptionModel(tf.io.fromMemory(a), 'bad/model.json');

const build = (kind: 'seq2seq' | 'caption'): Saveable =>
  kind === 'seq2seq' ? new Seq2Seq({ ...TINY, seed: 5 }) : new CaptionModel(TINY_CAPTION);

let cases = 0;

describe.each(['seq2seq', 'caption'] as const)(
  '%s: non-finite weights are refused at load',
  (kind) => {
    test('clean models load in every encoding (the check refuses nothing good)', async () => {
      const model = build(kind);
      for (const q of ['float32', 'float16', 'int8'] as const) {
        const { model: loaded } = await load(kind, await capture(model, q));
        loaded.dispose();
        cases++;
      }
      model.dispose();
    });

    test.each(['float32', 'float16'] as const)(
      '%s: NaN, Infinity and -Infinity in every weight, at its first, middle and last value',
      async (q) => {
        const model = build(kind);
        const a = await capture(model, q);
        model.dispose();
        const before = tf.memory().numTensors;
        for (const s of a.weightSpecs ?? []) {
          const n = tf.util.sizeFromShape(s.shape);
          for (const index of new Set([0, n >> 1, n - 1])) {
            for (const v of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
              const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
              const err = await load(kind, withValue(a, s.name, index, v)).then(
                () => null,
                (e: Error) => e,
              );
              expect(err, `${s.name}[${index}] = ${what}`).toBeInstanceOf(Error);
              expect(err?.message).toContain(`bad/model.json: weight '${s.name}'`);
              expect(err?.message).toContain(`the first is ${what}`);
              cases++;
            }
          }
        }
        // Refused before any tensor was made: nothing leaks.
        expect(tf.memory().numTensors).toBe(before);
      },
    );

    test('8-bit: a non-finite scale or min, or one whose top value overflows, in every weight', async () => {
      const model = build(kind);
      const a = await capture(model, 'int8');
      model.dispose();
      for (const s of a.weightSpecs ?? []) {
        for (const patch of [
          { scale: Number.NaN },
          { scale: Number.POSITIVE_INFINITY },
          { min: Number.NaN },
          { min: Number.NEGATIVE_INFINITY },
          { scale: 1e38, min: 0 },
        ]) {
          await expect(
            load(kind, withQuantization(a, s.name, patch)),
            JSON.stringify(patch),
          ).rejects.toThrow(`weight '${s.name}'`);
          cases++;
        }
      }
    });
  },
);

test('the error says where the first bad value is, how many there are and what to do', async () => {
  const model = new Seq2Seq({ ...TINY, seed: 5 });
  const a = await capture(model, 'float32');
  model.dispose();
  const spec = (a.weightSpecs ?? []).find(
    (s) => s.shape.length === 2,
  ) as tf.io.WeightsManifestEntry;
  const cols = spec.shape[1] as number;
  const twice = withValue(
    withValue(a, spec.name, cols + 2, Number.NaN),
    spec.name,
    cols + 3,
    1 / 0,
  );
  await expect(load('seq2seq', twice)).rejects.toThrow(
    /holds 2 non-finite values of \d+; the first is NaN at \[1, 2\]\. Expected finite numbers/,
  );
  expect(cases).toBeGreaterThan(100);
});
