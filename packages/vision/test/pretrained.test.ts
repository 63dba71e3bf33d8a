// Pretrained adapter: a LayersModel the test builds and saves in memory, cut at a named layer, frozen or fine-tuned.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPretrainedExtractor } from '../src';
import { useCpu } from './helpers';

beforeAll(useCpu);

async function savedModel(): Promise<{
  artifacts: tf.io.ModelArtifacts;
  original: tfl.LayersModel;
}> {
  const input = tfl.input({ shape: [16, 16, 3] });
  const c1 = tfl.layers
    .conv2d({
      filters: 4,
      kernelSize: 3,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      name: 'conv1',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }),
    })
    .apply(input) as tfl.SymbolicTensor;
  const c2 = tfl.layers
    .conv2d({
      filters: 6,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      name: 'feat',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }),
    })
    .apply(c1) as tfl.SymbolicTensor;
  const gap = tfl.layers.globalAveragePooling2d({ name: 'gap' }).apply(c2) as tfl.SymbolicTensor;
  const out = tfl.layers
    .dense({
      units: 2,
      name: 'logits',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }),
    })
    .apply(gap) as tfl.SymbolicTensor;
  const original = tfl.model({ inputs: input, outputs: out });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await original.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return { artifacts: artifacts!, original };
}

describe('loadPretrainedExtractor (LayersModel)', () => {
  it('cuts at a named layer and matches the original network up to that layer', async () => {
    const { artifacts, original } = await savedModel();
    const ext = await loadPretrainedExtractor({
      source: tf.io.fromMemory(artifacts),
      format: 'layers',
      layer: 'feat',
      inputSize: [16, 16],
      normalization: 'minus-one-one',
    });
    expect(ext.gridSize).toEqual([8, 8]);
    expect(ext.outputChannels).toBe(6);
    expect(ext.trainableWeights).toEqual([]);
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 4) as tf.Tensor4D; // resized to 16×16 inside
    const before = tf.memory().numTensors;
    const { grid, pooled } = ext.features(x);
    expect(grid.shape).toEqual([2, 8, 8, 6]);
    expect(pooled.shape).toEqual([2, 6]);
    const expected = tf.tidy(() => {
      const cut = tfl.model({
        inputs: original.inputs,
        outputs: original.getLayer('feat').output as tfl.SymbolicTensor,
      });
      return cut.predict(
        tf.sub(
          tf.mul(tf.image.resizeBilinear(tf.avgPool(x, 2, 2, 'valid'), [16, 16], false, true), 2),
          1,
        ),
      ) as tf.Tensor;
    });
    expect(
      tf.tidy(() => tf.max(tf.abs(tf.sub(grid, expected))).dataSync()[0] as number),
    ).toBeLessThan(1e-5);
    tf.dispose([grid, pooled, expected]);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    ext.dispose();
  });

  it('a rank-2 cut gives a 1×1 grid; fine-tuning exposes weights that receive gradients', async () => {
    const { artifacts } = await savedModel();
    const ext = await loadPretrainedExtractor({
      source: tf.io.fromMemory(artifacts),
      format: 'layers',
      layer: 'gap',
      inputSize: [16, 16],
      normalization: 'zero-one',
      trainable: true,
    });
    expect(ext.gridSize).toEqual([1, 1]);
    expect(ext.trainableWeights.length).toBe(4); // two convs × (kernel, bias)
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const { value, grads } = tf.variableGrads(
      () => tf.sum(ext.features(x, { training: true }).pooled) as tf.Scalar,
      ext.trainableWeights,
    );
    expect(Object.keys(grads).length).toBe(4);
    tf.dispose([x, value, ...Object.values(grads)]);
    ext.dispose();
  });

  it('lists the available layers when the cut name is wrong', async () => {
    const { artifacts } = await savedModel();
    await expect(
      loadPretrainedExtractor({
        source: tf.io.fromMemory(artifacts),
        format: 'layers',
        layer: 'nope',
        inputSize: [16, 16],
        normalization: 'zero-one',
      }),
    ).rejects.toThrow(/layer 'nope' not found; the model's layers are: .*conv1, feat, gap, logits/);
    await expect(
      loadPretrainedExtractor({
        source: tf.io.fromMemory(artifacts),
        format: 'graph',
        inputSize: [16, 16],
        normalization: 'zero-one',
        trainable: true,
      }),
    ).rejects.toThrow(/cannot be fine-tuned/);
  });
});

/** A hand-written two-conv GraphDef (what tfjs-converter emits), so GraphModel loading is tested offline. */
function graphArtifacts(): { artifacts: tf.io.ModelArtifacts; w1: tf.Tensor4D; w2: tf.Tensor4D } {
  const w1 = tf.randomNormal([3, 3, 3, 4], 0, 0.5, 'float32', 11) as tf.Tensor4D;
  const w2 = tf.randomNormal([3, 3, 4, 5], 0, 0.5, 'float32', 12) as tf.Tensor4D;
  const f32 = { type: 'DT_FLOAT' };
  const dims = (s: number[]) => ({ dim: s.map((d) => ({ size: String(d) })) });
  const constNode = (name: string, shape: number[]) => ({
    name,
    op: 'Const',
    attr: { value: { tensor: { dtype: 'DT_FLOAT', tensorShape: dims(shape) } }, dtype: f32 },
  });
  const conv = (name: string, input: string[], stride: number) => ({
    name,
    op: 'Conv2D',
    input,
    attr: {
      T: f32,
      strides: { list: { i: ['1', String(stride), String(stride), '1'] } },
      padding: { s: btoa('SAME') },
      data_format: { s: btoa('NHWC') },
      dilations: { list: { i: ['1', '1', '1', '1'] } },
    },
  });
  const modelTopology = {
    node: [
      {
        name: 'x',
        op: 'Placeholder',
        attr: { dtype: f32, shape: { shape: dims([-1, 16, 16, 3]) } },
      },
      constNode('w1', [3, 3, 3, 4]),
      constNode('w2', [3, 3, 4, 5]),
      conv('conv1', ['x', 'w1'], 2),
      { name: 'block1/relu', op: 'Relu', input: ['conv1'], attr: { T: f32 } },
      conv('conv2', ['block1/relu', 'w2'], 2),
      { name: 'out', op: 'Relu', input: ['conv2'], attr: { T: f32 } },
    ],
    versions: { producer: 1 },
  };
  const data = new Float32Array([...w1.dataSync(), ...w2.dataSync()]);
  return {
    artifacts: {
      modelTopology,
      format: 'graph-model',
      weightSpecs: [
        { name: 'w1', shape: [3, 3, 3, 4], dtype: 'float32' },
        { name: 'w2', shape: [3, 3, 4, 5], dtype: 'float32' },
      ],
      weightData: data.buffer,
    },
    w1,
    w2,
  };
}

describe('loadPretrainedExtractor (GraphModel)', () => {
  it('executes up to a named internal node', async () => {
    const { artifacts, w1, w2 } = graphArtifacts();
    const ext = await loadPretrainedExtractor({
      source: tf.io.fromMemory(artifacts),
      format: 'graph',
      layer: 'block1/relu',
      inputSize: [16, 16],
      normalization: 'zero-one',
    });
    expect(ext.gridSize).toEqual([8, 8]);
    expect(ext.outputChannels).toBe(4);
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 13) as tf.Tensor4D;
    const { grid, pooled } = ext.features(x);
    const expected = tf.relu(tf.conv2d(x, w1, 2, 'same'));
    expect(
      tf.tidy(() => tf.max(tf.abs(tf.sub(grid, expected))).dataSync()[0] as number),
    ).toBeLessThan(1e-5);
    const full = await loadPretrainedExtractor({
      source: tf.io.fromMemory(graphArtifacts().artifacts),
      format: 'graph',
      inputSize: [16, 16],
      normalization: 'zero-one',
    });
    expect(full.gridSize).toEqual([4, 4]);
    expect(full.outputChannels).toBe(5);
    tf.dispose([x, grid, pooled, expected, w1, w2]);
    ext.dispose();
    full.dispose();
  });
});
