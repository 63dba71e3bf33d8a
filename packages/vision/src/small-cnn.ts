// A small trainable CNN (conv → batch norm → ReLU blocks) implementing FeatureExtractor, with seeded init and JSON save/load.
import { makeRng } from '@seqlab/text';
import * as tf from '@tensorflow/tfjs-core';
import { BatchNorm, ownVariable } from './batch-norm';
import { conv2dSame } from './conv';
import type { FeatureExtractor, FeatureOptions, Features } from './feature-extractor';
import { resizeImages } from './resize';
import { decodeWeights, encodeWeights, type WeightsJson } from './weights-json';

export interface SmallCnnConfig {
  /** [height, width] images are resized to before the first conv. */
  inputSize: [number, number];
  /** Output channels of each block; the last one is `outputChannels`. */
  channels: number[];
  /** Stride of each block's first conv (same length as `channels`). */
  strides: number[];
  /** Convolutions per block; only the first one strides. */
  convsPerBlock: number;
  /** Square kernel side. */
  kernelSize: number;
  /** Batch-norm moving-average momentum (fraction of the old value kept). */
  batchNormMomentum: number;
  batchNormEpsilon: number;
  /** Seed for weight init: same seed → same weights. */
  seed: number;
  /**
   * CoordConv (Liu et al. 2018): append each pixel's (x, y) in [-1, 1] to the image as two more
   * input channels, so features can say *where* as well as *what*. Default false.
   */
  coordChannels?: boolean;
}

export const DEFAULT_SMALL_CNN: SmallCnnConfig = {
  inputSize: [64, 64],
  channels: [16, 32, 64],
  strides: [2, 2, 2],
  convsPerBlock: 1,
  kernelSize: 3,
  batchNormMomentum: 0.9,
  batchNormEpsilon: 1e-3,
  seed: 0,
};

/** What `toJSON` writes: config plus every weight, moving statistics included. */
export interface SmallCnnJson {
  format: 'seqlab-small-cnn';
  version: 1;
  config: SmallCnnConfig;
  weights: WeightsJson;
}

interface ConvUnit {
  name: string;
  kernel: tf.Variable; // [k, k, cin, cout]
  stride: number;
  bn: BatchNorm;
}

let instanceCounter = 0;

/**
 * Inference constants of {@link SmallCnn}'s folded path, and the weight data they came from. The
 * first layer's bias is a map [1, oh, ow, c] (it varies at the borders), the others' are [c].
 */
interface FoldedPlan {
  key: object[];
  layers: { kernel: tf.Tensor4D; bias: tf.Tensor; stride: number }[];
}

/** [1, h, w, 2]: x then y of each pixel centre, scaled to [-1, 1]. */
export function coordGrid(h: number, w: number): tf.Tensor4D {
  return tf.tidy(() => {
    const lin = (n: number) => (n === 1 ? tf.zeros([1]) : tf.linspace(-1, 1, n));
    const xs = tf.tile(tf.reshape(lin(w), [1, 1, w, 1]), [1, h, 1, 1]);
    const ys = tf.tile(tf.reshape(lin(h), [1, h, 1, 1]), [1, 1, w, 1]);
    return tf.concat([xs, ys], 3) as tf.Tensor4D;
  });
}

/** [b, h, w, c] → [b, h, w, c + 2]: the image with `coordGrid` appended to every pixel. */
export function appendCoords(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, h, w] = x.shape;
    return tf.concat([x, tf.tile(coordGrid(h, w), [b, 1, 1, 1])], 3) as tf.Tensor4D;
  });
}

function validate(c: SmallCnnConfig): void {
  const bad = (msg: string) => {
    throw new Error(`SmallCnnConfig: ${msg}`);
  };
  if (c.channels.length === 0) bad('channels must list at least one block, got []');
  if (c.strides.length !== c.channels.length)
    bad(
      `strides has ${c.strides.length} entries but channels has ${c.channels.length}; give one stride per block`,
    );
  if (c.coordChannels !== undefined && typeof c.coordChannels !== 'boolean')
    bad(`coordChannels must be true or false, got ${JSON.stringify(c.coordChannels)}`);
  for (const v of [...c.channels, ...c.strides, c.convsPerBlock, c.kernelSize, ...c.inputSize]) {
    if (!Number.isInteger(v) || v < 1)
      bad(`sizes, channels and strides must be positive integers, got ${v}`);
  }
}

/**
 * Trainable CNN feature extractor. Its variables work inside `tf.variableGrads` or
 * `optimizer.minimize` together with a decoder's.
 *
 * @example
 * const cnn = new SmallCnn({ channels: [8, 16], strides: [2, 2] });
 * const { grid, pooled } = cnn.features(images, { training: true }); // [b,16,16,16], [b,16]
 */
export class SmallCnn implements FeatureExtractor {
  readonly config: SmallCnnConfig;
  private readonly units: ConvUnit[] = [];
  private disposed = false;
  private plan: FoldedPlan | null = null;

  constructor(config: Partial<SmallCnnConfig> = {}) {
    this.config = { ...DEFAULT_SMALL_CNN, ...config };
    validate(this.config);
    const uid = `small_cnn_${instanceCounter++}`;
    const { channels, strides, convsPerBlock, kernelSize: k, seed } = this.config;
    let cin = this.config.coordChannels ? 5 : 3;
    channels.forEach((cout, b) => {
      for (let j = 0; j < convsPerBlock; j++) {
        const name = `block${b}/conv${j}`;
        const fanIn = k * k * cin;
        const limit = Math.sqrt(6 / fanIn); // He-uniform: keeps ReLU activations' scale
        const rng = makeRng((seed * 1000003 + this.units.length * 7919 + 1) >>> 0);
        const values = new Float32Array(k * k * cin * cout);
        for (let i = 0; i < values.length; i++) values[i] = (rng() * 2 - 1) * limit;
        this.units.push({
          name,
          kernel: ownVariable(
            tf.tensor4d(values, [k, k, cin, cout]),
            true,
            `${uid}/${name}/kernel`,
          ),
          stride: j === 0 ? (strides[b] as number) : 1,
          bn: new BatchNorm(
            cout,
            { momentum: this.config.batchNormMomentum, epsilon: this.config.batchNormEpsilon },
            `${uid}/${name}/bn`,
          ),
        });
        cin = cout;
      }
    });
  }

  get inputSize(): [number, number] {
    return [...this.config.inputSize];
  }

  get outputChannels(): number {
    return this.config.channels[this.config.channels.length - 1] as number;
  }

  /** 'same' padding: each stride s maps n → ceil(n / s). */
  get gridSize(): [number, number] {
    let [h, w] = this.config.inputSize;
    for (const s of this.config.strides) {
      h = Math.ceil(h / s);
      w = Math.ceil(w / s);
    }
    return [h, w];
  }

  get trainableWeights(): tf.Variable[] {
    return this.units.flatMap((u) => [u.kernel, u.bn.gamma, u.bn.beta]);
  }

  features(images: tf.Tensor4D, options: FeatureOptions = {}): Features {
    this.assertAlive();
    if (images.rank !== 4 || images.shape[3] !== 3) {
      throw new Error(
        `SmallCnn.features expected images [batch, h, w, 3] in [0, 1], got shape [${images.shape}]`,
      );
    }
    const training = options.training ?? false;
    if (!training && options.folded) return this.foldedFeatures(images);
    return tf.tidy(() => {
      let x = resizeImages(images, this.config.inputSize); // [b, H, W, 3]
      x = tf.sub(tf.mul(x, 2), 1); // centre inputs on 0
      this.units.forEach((u, i) => {
        let z: tf.Tensor4D;
        const k = u.kernel as tf.Tensor4D;
        // The input is data: its gradient is never needed, so the first conv skips it.
        const first = { inputGrad: i > 0 || options.inputGradients === true };
        if (i === 0 && this.config.coordChannels) {
          // conv(concat(x, xy), K) = conv(x, K_rgb) + conv(xy, K_xy); xy is the same for every
          // image, so its conv runs once at batch 1 and broadcasts (no [b,H,W,5] concat).
          const [kh, kw, , cout] = k.shape;
          const xy = coordGrid(x.shape[1], x.shape[2]);
          z = tf.add(
            conv2dSame(x, tf.slice(k, [0, 0, 0, 0], [kh, kw, 3, cout]), u.stride, first),
            conv2dSame(xy, tf.slice(k, [0, 0, 3, 0], [kh, kw, 2, cout]), u.stride, {
              inputGrad: false,
            }),
          );
        } else {
          z = conv2dSame(x, k, u.stride, first); // [b, h', w', cout]
        }
        x = tf.relu(u.bn.apply(z, training));
      });
      const grid = x; // [b, gh, gw, c]
      const pooled = tf.mean(grid, [1, 2]) as tf.Tensor2D; // [b, c]
      return { grid, pooled };
    });
  }

  /**
   * Inference with each layer's batch norm folded into its convolution (see
   * {@link FeatureOptions.folded}): relu(conv(x, K·s) + t) with s = γ/√(σ²+ε), t = β − μ·s. The
   * first layer also absorbs the input scaling 2x − 1 and the coordinate channels, whose
   * contribution is the same for every image: relu(conv(x, 2K·s) + C) with a constant map C.
   */
  private foldedFeatures(images: tf.Tensor4D): Features {
    const plan = this.foldedPlan();
    return tf.tidy(() => {
      let x = resizeImages(images, this.config.inputSize);
      plan.layers.forEach((l, i) => {
        x =
          i === 0
            ? (tf.relu(tf.add(tf.conv2d(x, l.kernel, l.stride, 'same'), l.bias)) as tf.Tensor4D)
            : tf.fused.conv2d({
                x,
                filter: l.kernel,
                strides: l.stride,
                pad: 'same',
                bias: l.bias as tf.Tensor1D,
                activation: 'relu',
              });
      });
      return { grid: x, pooled: tf.mean(x, [1, 2]) as tf.Tensor2D };
    });
  }

  /**
   * The folded constants, rebuilt when any weight's data changed since they were made
   * (`Variable.assign`, which training and `setWeights` use, gives a variable new data).
   */
  private foldedPlan(): FoldedPlan {
    const vars = this.units.flatMap((u) => [
      u.kernel,
      u.bn.gamma,
      u.bn.beta,
      u.bn.movingMean,
      u.bn.movingVariance,
    ]);
    const key = vars.map((v) => v.dataId);
    const p = this.plan;
    if (p && p.key.length === key.length && p.key.every((k, i) => k === key[i])) return p;
    this.clearInferenceCache();
    const [H, W] = this.config.inputSize;
    const layers = tf.tidy(() =>
      this.units.map((u, i) => {
        const eps = u.bn.config.epsilon;
        const s = tf.div(u.bn.gamma, tf.sqrt(tf.add(u.bn.movingVariance, eps))); // [c]
        const t = tf.sub(u.bn.beta, tf.mul(u.bn.movingMean, s)); // [c]
        if (i > 0) return { kernel: tf.mul(u.kernel, s) as tf.Tensor4D, bias: t, stride: u.stride };
        const k = u.kernel as tf.Tensor4D;
        const [kh, kw, , cout] = k.shape;
        const kRgb = this.config.coordChannels ? tf.slice(k, [0, 0, 0, 0], [kh, kw, 3, cout]) : k;
        // conv(2x − 1, K) = conv(x, 2K) + conv(−1, K); with 'same' zero padding the second term
        // differs at the borders, so it is kept as a map, not a per-channel bias.
        let c: tf.Tensor4D = conv2dSame(
          tf.fill([1, H, W, 3], -1) as tf.Tensor4D,
          kRgb as tf.Tensor4D,
          u.stride,
        );
        if (this.config.coordChannels)
          c = tf.add(
            c,
            conv2dSame(coordGrid(H, W), tf.slice(k, [0, 0, 3, 0], [kh, kw, 2, cout]), u.stride),
          );
        return {
          kernel: tf.mul(kRgb, tf.mul(s, 2)) as tf.Tensor4D,
          bias: tf.add(tf.mul(c, s), t), // [1, oh, ow, c]
          stride: u.stride,
        };
      }),
    );
    // Kept: the first call may come from inside a caller's tidy, which must not free them.
    for (const l of layers) {
      tf.keep(l.kernel);
      tf.keep(l.bias);
    }
    this.plan = { key, layers };
    return this.plan;
  }

  /**
   * Frees the folded-inference constants (rebuilt on the next folded call). For owners that
   * dispose the variables themselves instead of calling {@link dispose}.
   */
  clearInferenceCache(): void {
    if (!this.plan) return;
    for (const l of this.plan.layers) tf.dispose([l.kernel, l.bias]);
    this.plan = null;
  }

  /** Every weight by stable logical name (moving statistics included); tensors are the live variables. */
  getWeights(): Record<string, tf.Tensor> {
    this.assertAlive();
    const out: Record<string, tf.Tensor> = {};
    for (const u of this.units) {
      out[`${u.name}/kernel`] = u.kernel;
      out[`${u.name}/bn/gamma`] = u.bn.gamma;
      out[`${u.name}/bn/beta`] = u.bn.beta;
      out[`${u.name}/bn/moving_mean`] = u.bn.movingMean;
      out[`${u.name}/bn/moving_variance`] = u.bn.movingVariance;
    }
    return out;
  }

  /** Copies values in by logical name; every weight must be present with the same shape. */
  setWeights(map: Record<string, tf.Tensor>): void {
    const own = this.getWeights();
    for (const [name, v] of Object.entries(own)) {
      const src = map[name];
      if (!src)
        throw new Error(
          `SmallCnn.setWeights: missing '${name}'; expected names: ${Object.keys(own).join(', ')}`,
        );
      if (src.shape.join() !== v.shape.join()) {
        throw new Error(
          `SmallCnn.setWeights: '${name}' expected shape [${v.shape}], got [${src.shape}]`,
        );
      }
      // Assigning a variable to itself would release its own data.
      if (src !== v) (v as tf.Variable).assign(src);
    }
  }

  toJSON(): SmallCnnJson {
    return {
      format: 'seqlab-small-cnn',
      version: 1,
      config: this.config,
      weights: encodeWeights(this.getWeights()),
    };
  }

  /**
   * Rebuilds a CNN from `toJSON()` output (object or JSON string).
   *
   * @example
   * const copy = SmallCnn.fromJSON(JSON.stringify(cnn.toJSON()));
   */
  static fromJSON(json: SmallCnnJson | string): SmallCnn {
    const parsed = (typeof json === 'string' ? JSON.parse(json) : json) as SmallCnnJson;
    if (parsed.format !== 'seqlab-small-cnn' || parsed.version !== 1) {
      throw new Error(
        `SmallCnn.fromJSON expected format 'seqlab-small-cnn' version 1, got '${parsed.format}' version ${parsed.version}`,
      );
    }
    const cnn = new SmallCnn(parsed.config);
    const tensors = decodeWeights(parsed.weights);
    try {
      cnn.setWeights(tensors);
    } finally {
      for (const t of Object.values(tensors)) t.dispose();
    }
    return cnn;
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.clearInferenceCache();
    for (const u of this.units) {
      u.kernel.dispose();
      u.bn.dispose();
    }
    this.units.length = 0;
    this.disposed = true;
  }

  // Without this, features() after dispose() silently returned the pooled input image (no units left).
  private assertAlive(): void {
    if (this.disposed) throw new Error('SmallCnn: used after dispose(); create or load a new one');
  }
}
