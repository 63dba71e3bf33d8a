// 'same' 2-D convolution with a hand-written filter gradient: tfjs-cpu's Conv2DBackpropFilter indexes element by element and is ~50× slower than its forward conv.
import * as tf from '@tensorflow/tfjs-core';

/**
 * Filter gradient as a forward conv: dW[i,j,ci,co] = Σ_{b,y,x} xpad[b, s·y+i, s·x+j, ci] · dy[b,y,x,co],
 * i.e. a stride-1 conv of xpad (batch and channels swapped) with dy as the filter, dilated by s.
 */
function filterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  kernelShape: [number, number, number, number],
  stride: number,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = kernelShape;
    const [, h, w] = x.shape;
    const [, oh, ow] = dy.shape;
    const needH = (oh - 1) * stride + kh;
    const needW = (ow - 1) * stride + kw;
    const top = Math.floor(Math.max(needH - h, 0) / 2);
    const left = Math.floor(Math.max(needW - w, 0) / 2);
    let xp = tf.pad(x, [
      [0, 0],
      [top, Math.max(needH - h - top, 0)],
      [left, Math.max(needW - w - left, 0)],
      [0, 0],
    ]);
    xp = tf.slice(xp, [0, 0, 0, 0], [-1, needH, needW, -1]); // [b, needH, needW, cin]
    const xt = tf.transpose(xp, [3, 1, 2, 0]); // [cin, needH, needW, b]
    const f = tf.transpose(dy, [1, 2, 0, 3]); // [oh, ow, b, cout]
    const g = tf.conv2d(xt, f, 1, 'valid', 'NHWC', stride); // [cin, kh, kw, cout]
    return tf.transpose(g, [1, 2, 0, 3]); // [kh, kw, cin, cout]
  });
}

/**
 * Same value as `tf.conv2d(x, kernel, stride, 'same')`, with gradients that are fast on the
 * cpu backend (input grad: conv2dTranspose; filter grad: a dilated forward conv).
 *
 * @example
 * const y = conv2dSame(x, kernel, 2); // x [b,64,64,3], kernel [3,3,3,16] → [b,32,32,16]
 *
 * `inputGrad: false` skips the input gradient (returned as zeros): for a first layer whose
 * input is data, where it was the costliest part of the backward pass.
 */
export function conv2dSame(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  stride: number,
  opts: { inputGrad?: boolean } = {},
): tf.Tensor4D {
  if (x.shape[3] !== kernel.shape[2]) {
    throw new Error(
      `conv2dSame: input has ${x.shape[3]} channels but kernel [${kernel.shape}] expects ${kernel.shape[2]}`,
    );
  }
  type CustomGradFn = Parameters<typeof tf.customGrad<tf.Tensor4D>>[0];
  const fn: CustomGradFn = (...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xi, ki, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([xi, ki]);
    return {
      value: tf.conv2d(xi, ki, stride, 'same'), // [b, ceil(h/s), ceil(w/s), cout]
      gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
        const [sx, sk] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dx =
          opts.inputGrad === false
            ? tf.zerosLike(sx)
            : tf.conv2dTranspose(dy, sk, sx.shape, stride, 'same'); // [b, h, w, cin]
        return [dx, filterGrad(sx, dy, sk.shape, stride)];
      },
    };
  };
  const op = tf.customGrad(fn);
  return op(x, kernel) as tf.Tensor4D;
}
