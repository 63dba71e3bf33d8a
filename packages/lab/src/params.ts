// Named trainable tensors of a lab model, and their flat float32 form for saving and shipping.
import * as tf from '@tensorflow/tfjs-core';

/** A model's trainable parameters by name. */
export type Params = Record<string, tf.Variable>;

/** Shape of one parameter inside a flat weights buffer (tfjs weights-manifest style). */
export interface ParamSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
}

/**
 * Flattens parameters into one Float32Array plus specs, in the order of `Object.keys(params)`.
 * @example const { specs, data } = exportParams(model.params); // write data as weights.bin
 */
export function exportParams(params: Params): { specs: ParamSpec[]; data: Float32Array } {
  const specs: ParamSpec[] = [];
  let n = 0;
  for (const [name, v] of Object.entries(params)) {
    specs.push({ name, shape: v.shape.slice(), dtype: 'float32' });
    n += v.size;
  }
  const data = new Float32Array(n);
  let off = 0;
  for (const v of Object.values(params)) {
    data.set(v.dataSync() as Float32Array, off);
    off += v.size;
  }
  return { specs, data };
}

/**
 * Rebuilds tensors from {@link exportParams}' output; errors name the parameter that does not fit.
 * @example const named = importParams(specs, new Float32Array(bytes)); // caller disposes
 */
export function importParams(
  specs: readonly ParamSpec[],
  data: Float32Array,
): Record<string, tf.Tensor> {
  const want = specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0);
  if (want !== data.length) {
    throw new Error(
      `importParams: specs describe ${want} floats, the weights hold ${data.length}; valid: a weights file saved with the same specs`,
    );
  }
  const out: Record<string, tf.Tensor> = {};
  let off = 0;
  for (const s of specs) {
    const size = s.shape.reduce((x, y) => x * y, 1);
    out[s.name] = tf.tensor(data.subarray(off, off + size), s.shape, 'float32');
    off += size;
  }
  return out;
}

/** Checks that `t` has `shape`, naming the parameter and both shapes when it does not. */
export function checkShape(name: string, t: tf.Tensor | undefined, shape: number[]): tf.Tensor {
  if (!t) throw new Error(`missing parameter '${name}' (expected shape [${shape}])`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`parameter '${name}': expected shape [${shape}], got [${t.shape}]`);
  }
  return t;
}

/** Disposes every parameter. */
export function disposeParams(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

/** A trainable variable initialised from `t`, which is disposed (the variable keeps its own copy). */
export function variableFrom(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}
