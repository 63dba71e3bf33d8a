// Bidirectional wrapper with tfjs-layers semantics: the backward run reverses time (padding included, masked steps carry state).
import * as tf from '@tensorflow/tfjs-core';

/** Options every wrapped direction receives. */
export interface DirectionOptions {
  mask?: tf.Tensor2D;
  goBackwards: boolean;
  returnSequences: boolean;
}

/** A recurrent layer call: any of lstm, gru, simpleRNN closed over its weights. */
export type DirectionFn = (
  x: tf.Tensor3D,
  opts: DirectionOptions,
) => { sequence: tf.Tensor3D | null; h: tf.Tensor2D };

/** How the two directions combine. */
export type MergeMode = 'concat' | 'sum' | 'mul' | 'ave';

/** Forward and backward results, plus the merged output ([b, t, 2u] for concat, else [b, t, u]; [b, *] without sequences). */
export interface BidirectionalResult {
  output: tf.Tensor;
  forward: { sequence: tf.Tensor3D | null; h: tf.Tensor2D };
  backward: { sequence: tf.Tensor3D | null; h: tf.Tensor2D };
}

function merge(a: tf.Tensor, b: tf.Tensor, mode: MergeMode): tf.Tensor {
  switch (mode) {
    case 'concat':
      return tf.concat([a, b], -1);
    case 'sum':
      return tf.add(a, b);
    case 'mul':
      return tf.mul(a, b);
    case 'ave':
      return tf.mul(tf.add(a, b), 0.5);
    default:
      throw new Error(
        `bidirectional: mergeMode '${String(mode)}' unknown, valid: concat, sum, mul, ave`,
      );
  }
}

/**
 * Runs `forward` left-to-right and `backward` right-to-left and merges them; the backward
 * sequence is flipped back into input time order before merging, as tf.layers.bidirectional does.
 * @example
 * const out = bidirectional(x, (xx, o) => lstm(xx, wf, o), (xx, o) => lstm(xx, wb, o), { mergeMode: 'concat', mask });
 */
export function bidirectional(
  x: tf.Tensor3D,
  forward: DirectionFn,
  backward: DirectionFn,
  opts: { mergeMode?: MergeMode; mask?: tf.Tensor2D; returnSequences?: boolean } = {},
): BidirectionalResult {
  const returnSequences = opts.returnSequences ?? true;
  const mode = opts.mergeMode ?? 'concat';
  return tf.tidy(() => {
    const f = forward(x, { mask: opts.mask, goBackwards: false, returnSequences });
    const bw = backward(x, { mask: opts.mask, goBackwards: true, returnSequences });
    const output = returnSequences
      ? merge(f.sequence as tf.Tensor3D, tf.reverse(bw.sequence as tf.Tensor3D, 1), mode)
      : merge(f.h, bw.h, mode);
    return { output, forward: f, backward: bw } as unknown as tf.TensorContainer;
  }) as unknown as BidirectionalResult;
}
