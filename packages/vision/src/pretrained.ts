// Adapter: any tfjs LayersModel or GraphModel (URL or IOHandler), cut at a named layer/node, as a FeatureExtractor.

import { type GraphModel, loadGraphModel } from '@tensorflow/tfjs-converter';
import * as tf from '@tensorflow/tfjs-core';
import {
  type LayersModel,
  loadLayersModel,
  model as makeModel,
  type SymbolicTensor,
} from '@tensorflow/tfjs-layers';
import type { FeatureExtractor, FeatureOptions, Features } from './feature-extractor';
import { type Normalization, normalizeImages } from './preprocess';
import { resizeImages } from './resize';

export interface PretrainedOptions {
  /** model.json URL or a tf.io.IOHandler (e.g. tf.io.fromMemory, a browser file handler). */
  source: string | tf.io.IOHandler;
  /** 'layers' → tf.loadLayersModel, 'graph' → tf.loadGraphModel. */
  format: 'layers' | 'graph';
  /** LayersModel: layer whose output is the feature; GraphModel: output node name. Default: the model's output. */
  layer?: string;
  /** [height, width] the network expects, e.g. [224, 224] for MobileNet. */
  inputSize: [number, number];
  /** Mapping from [0,1] pixels, e.g. 'minus-one-one' for MobileNet. */
  normalization: Normalization;
  /** Fine-tune (LayersModel only): expose the cut model's weights as trainable. Default false (frozen). */
  trainable?: boolean;
  /** Called with loading progress in [0, 1] (URL sources). */
  onProgress?: (fraction: number) => void;
}

/** A loaded, cut pretrained network. Construct with `loadPretrainedExtractor`. */
export class PretrainedExtractor implements FeatureExtractor {
  readonly inputSize: [number, number];
  readonly outputChannels: number;
  readonly gridSize: [number, number];

  constructor(
    private readonly net:
      | { kind: 'layers'; model: LayersModel }
      | { kind: 'graph'; model: GraphModel; node?: string },
    private readonly options: PretrainedOptions,
  ) {
    this.inputSize = [...options.inputSize];
    // Probe once with zeros: works for any cut point and either model kind.
    const shape = tf.tidy(
      () => this.run(tf.zeros([1, ...this.inputSize, 3]) as tf.Tensor4D, false).shape,
    );
    if (shape.length !== 4 && shape.length !== 2) {
      throw new Error(
        `pretrained cut '${options.layer ?? '<output>'}' gives rank-${shape.length} output [${shape}]; expected [b,h,w,c] or [b,c]`,
      );
    }
    this.outputChannels = shape[shape.length - 1] as number;
    this.gridSize = shape.length === 4 ? [shape[1] as number, shape[2] as number] : [1, 1];
  }

  get trainableWeights(): tf.Variable[] {
    if (this.net.kind !== 'layers' || !this.options.trainable) return [];
    return this.net.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  private run(x: tf.Tensor4D, training: boolean): tf.Tensor {
    if (this.net.kind === 'layers') return this.net.model.apply(x, { training }) as tf.Tensor;
    const out = this.net.node
      ? this.net.model.execute(x, this.net.node)
      : this.net.model.execute(x);
    if (Array.isArray(out))
      throw new Error('pretrained graph model returned several outputs; name one with `layer`');
    return out;
  }

  features(images: tf.Tensor4D, options: FeatureOptions = {}): Features {
    return tf.tidy(() => {
      const x = normalizeImages(resizeImages(images, this.inputSize), this.options.normalization); // [b, H, W, 3]
      const y = this.run(x, (options.training ?? false) && !!this.options.trainable);
      const grid = (
        y.rank === 2 ? tf.reshape(y, [y.shape[0] as number, 1, 1, y.shape[1] as number]) : y
      ) as tf.Tensor4D; // [b, gh, gw, c]
      const pooled = tf.mean(grid, [1, 2]) as tf.Tensor2D; // [b, c]
      return { grid, pooled };
    });
  }

  dispose(): void {
    this.net.model.dispose();
  }
}

/**
 * Loads a tfjs model and cuts it at a named layer (LayersModel) or output node (GraphModel).
 *
 * @example
 * const mobilenet = await loadPretrainedExtractor({
 *   source: 'https://…/mobilenet_v2/model.json', format: 'graph',
 *   layer: 'module_apply_default/MobilenetV2/Conv_1/Relu6', inputSize: [224, 224], normalization: 'minus-one-one',
 * });
 */
export async function loadPretrainedExtractor(
  options: PretrainedOptions,
): Promise<PretrainedExtractor> {
  const load = options.onProgress ? { onProgress: options.onProgress } : {};
  if (options.format === 'layers') {
    const full = await loadLayersModel(options.source, load);
    let cut: LayersModel = full;
    if (options.layer) {
      let output: SymbolicTensor | SymbolicTensor[];
      try {
        output = full.getLayer(options.layer).output;
      } catch {
        const names = full.layers.map((l) => l.name);
        throw new Error(
          `layer '${options.layer}' not found; the model's layers are: ${names.join(', ')}`,
        );
      }
      cut = makeModel({ inputs: full.inputs, outputs: output });
    }
    cut.trainable = options.trainable ?? false;
    return new PretrainedExtractor({ kind: 'layers', model: cut }, options);
  }
  if (options.format === 'graph') {
    if (options.trainable)
      throw new Error(
        'GraphModel weights are constants and cannot be fine-tuned; use format "layers" or trainable: false',
      );
    const model = await loadGraphModel(options.source, load);
    return new PretrainedExtractor(
      { kind: 'graph', model, ...(options.layer ? { node: options.layer } : {}) },
      options,
    );
  }
  throw new Error(`pretrained format must be 'layers' or 'graph', got '${String(options.format)}'`);
}
