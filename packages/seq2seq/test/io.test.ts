// Save/load: tfjs-format artifacts round-trip (float32 exact, float16/8-bit close) and every kind of damage gives its own error.
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadSeq2Seq, Seq2Seq, saveSeq2Seq, toFloat16Bits } from '../src/index';
import { fileHandler } from '../src/node';
import { beamSearch, boostEos, TINY, useCpu } from './helpers';

let tmp = '';
beforeAll(async () => {
  await useCpu();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'seq2seq-io-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

const SRC = [
  [5, 6, 7, 2],
  [8, 9, 2],
];
const TGT_IN = [
  [1, 7, 6, 5],
  [1, 9, 2, 0],
];

async function capture(
  model: Seq2Seq,
  quantization?: 'float16' | 'uint8' | 'int8',
): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await saveSeq2Seq(
    model,
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    quantization ? { quantization, userDefinedMetadata: { vocab: 'vocab.json' } } : {},
  );
  return saved as unknown as tf.io.ModelArtifacts;
}

function logits(model: Seq2Seq): Float32Array {
  return tf.tidy(
    () =>
      model
        .forward(
          tf.tensor2d(
            SRC.map((r) => [...r, 0, 0].slice(0, 4)),
            undefined,
            'int32',
          ),
          tf.tensor2d(TGT_IN, undefined, 'int32'),
        )
        .logits.dataSync() as Float32Array,
  );
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

describe('save/load', () => {
  test('float32 round trip through tf.io.fromMemory gives identical outputs and decodes', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 31 });
    boostEos(model, 1);
    const a = await capture(model);
    expect(a.format).toBe('seqlab-seq2seq');
    expect((a.modelTopology as { config: { hidden: number } }).config.hidden).toBe(TINY.hidden);
    const { model: loaded } = await loadSeq2Seq(tf.io.fromMemory(a));
    expect(loaded.config).toEqual(model.config);
    expect(logits(loaded)).toEqual(logits(model));
    expect(await beamSearch(loaded, SRC, { beamWidth: 3, nBest: 2 })).toEqual(
      await beamSearch(model, SRC, { beamWidth: 3, nBest: 2 }),
    );
    loaded.dispose();
    model.dispose();
  });

  test('float16 is close, 8-bit affine within tolerance, and both shrink the weights', async () => {
    const model = new Seq2Seq({ ...TINY, seed: 32 });
    const ref = logits(model);
    const full = (await capture(model)).weightData as ArrayBuffer;
    for (const [q, tol, ratio] of [
      ['float16', 2e-3, 2],
      ['uint8', 5e-2, 4],
      ['int8', 5e-2, 4],
    ] as const) {
      const a = await capture(model, q);
      expect((a.weightData as ArrayBuffer).byteLength).toBe(full.byteLength / ratio);
      const { model: loaded, userDefinedMetadata } = await loadSeq2Seq(tf.io.fromMemory(a));
      expect(userDefinedMetadata).toEqual({ vocab: 'vocab.json' });
      const d = maxAbsDiff(logits(loaded), ref);
      expect(d, q).toBeLessThan(tol);
      expect(d, q).toBeGreaterThan(0);
      loaded.dispose();
    }
    model.dispose();
  });

  test('float16 encoder rounds like IEEE half precision', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });

  test('Node fileHandler writes model.json + shards that load back; old shards are cleaned up', async () => {
    const dir = path.join(tmp, 'model');
    const model = new Seq2Seq({ ...TINY, seed: 33 });
    await saveSeq2Seq(model, fileHandler(dir), { userDefinedMetadata: { vocab: 'vocab.json' } });
    const json = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].weights.length).toBe(model.params.names().length);
    const { model: loaded, userDefinedMetadata } = await loadSeq2Seq(fileHandler(dir));
    expect(userDefinedMetadata).toEqual({ vocab: 'vocab.json' });
    expect(logits(loaded)).toEqual(logits(model));
    await saveSeq2Seq(loaded, fileHandler(dir), { quantization: 'float16' });
    const shards = (await fs.readdir(dir)).filter((f) => f.endsWith('.bin'));
    expect(shards.length).toBe(1);
    loaded.dispose();
    model.dispose();
  });

  describe('malformed artifacts give specific errors', () => {
    let good: tf.io.ModelArtifacts;
    const before = () => tf.memory().numTensors;
    beforeAll(async () => {
      const m = new Seq2Seq({ ...TINY, seed: 34 });
      good = await capture(m);
      m.dispose();
    });
    const variant = (f: (a: tf.io.ModelArtifacts) => void): tf.io.IOHandler => {
      const a = structuredClone(good);
      f(a);
      return tf.io.fromMemory(a);
    };

    test.each([
      [
        'truncated weights',
        (a: tf.io.ModelArtifacts) => {
          a.weightData = (a.weightData as ArrayBuffer).slice(0, 100);
        },
        /weight data is 100 bytes but the manifest describes \d+ bytes \(truncated shard\)/,
      ],
      [
        'wrong dtype',
        (a: tf.io.ModelArtifacts) => {
          (a.weightSpecs as tf.io.WeightsManifestEntry[])[0]!.dtype = 'int32';
        },
        /weight 'encoder\/embedding' has dtype "int32", expected 'float32'/,
      ],
      [
        'unsupported quantization',
        (a: tf.io.ModelArtifacts) => {
          (a.weightSpecs as tf.io.WeightsManifestEntry[])[1]!.quantization = {
            dtype: 'int4' as 'uint8',
          };
        },
        /quantization dtype "int4"/,
      ],
      [
        'shape mismatch with config',
        (a: tf.io.ModelArtifacts) => {
          (a.modelTopology as { config: { hidden: number } }).config.hidden = 9;
        },
        /has shape \[.*\], the config needs \[.*\]/,
      ],
      [
        'invalid config',
        (a: tf.io.ModelArtifacts) => {
          (a.modelTopology as { config: { attention: string } }).config.attention = 'cosine';
        },
        /invalid config: Seq2SeqConfig.attention/,
      ],
      [
        'foreign format',
        (a: tf.io.ModelArtifacts) => {
          (a.modelTopology as { format: string }).format = 'layers-model';
        },
        /modelTopology.format is "layers-model", expected 'seqlab-seq2seq'/,
      ],
      [
        'missing weight',
        (a: tf.io.ModelArtifacts) => {
          a.weightSpecs = (a.weightSpecs as tf.io.WeightsManifestEntry[]).slice(1);
        },
        /missing weights encoder\/embedding/,
      ],
      [
        'unknown weight',
        (a: tf.io.ModelArtifacts) => {
          (a.weightSpecs as tf.io.WeightsManifestEntry[])[0]!.name = 'extra';
        },
        /unexpected weight 'extra'/,
      ],
      [
        'no weight data',
        (a: tf.io.ModelArtifacts) => {
          delete a.weightData;
        },
        /no weight data was loaded/,
      ],
    ])('%s', async (_name, mutate, message) => {
      const n = before();
      await expect(loadSeq2Seq(variant(mutate))).rejects.toThrow(message);
      expect(tf.memory().numTensors).toBe(n);
    });

    test('missing shard and malformed model.json on disk', async () => {
      const dir = path.join(tmp, 'broken');
      const m = new Seq2Seq({ ...TINY, seed: 35 });
      await saveSeq2Seq(m, fileHandler(dir));
      m.dispose();
      const shard = (await fs.readdir(dir)).find((f) => f.endsWith('.bin')) as string;
      await fs.rename(path.join(dir, shard), path.join(dir, 'moved.bin'));
      await expect(loadSeq2Seq(fileHandler(dir))).rejects.toThrow(
        new RegExp(`weight shard '${shard}' cannot be read .*ENOENT`),
      );
      await fs.writeFile(path.join(dir, 'model.json'), '{"modelTopology": ');
      await expect(loadSeq2Seq(fileHandler(dir))).rejects.toThrow(/model.json: malformed JSON/);
      await fs.writeFile(path.join(dir, 'model.json'), '{"modelTopology": {}}');
      await expect(loadSeq2Seq(fileHandler(dir))).rejects.toThrow(
        /expected an object with a weightsManifest array/,
      );
      await expect(loadSeq2Seq(fileHandler(path.join(tmp, 'nowhere')))).rejects.toThrow(
        /cannot read .*nowhere\/model.json/,
      );
    });
  });
});
