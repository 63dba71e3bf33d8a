// Fused LSTM step kernels (forward and backward gate math in one pass) for the cpu and wasm backends, in plain JS over their memory.
import * as tf from '@tensorflow/tfjs-core';
import { gatesFromPreactivation } from './lstm-cell';

/** Kernel names; webgl/webgpu have none registered and lstm falls back to tf ops there. */
export const LSTM_STEP = 'SeqlabLstmStep';
export const LSTM_STEP_GRAD = 'SeqlabLstmStepGrad';
/** Gate math alone, from a pre-activation z [b, 4u] and cell c [b, u] to (h, c'); see {@link lstmGatesStep}. */
export const LSTM_GATES = 'SeqlabLstmGates';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

interface MemBackend {
  alloc(shape: number[]): tf.TensorInfo;
  view(t: tf.TensorInfo): Float32Array;
}

/** Int32 inputs read through the same accessor (the cpu backend and the wasm heap both hand back Int32Array). */
export function viewInt(m: MemBackend, t: tf.TensorInfo): Int32Array {
  return m.view(t) as unknown as Int32Array;
}

/** Uniform access to backend memory: the cpu backend's value arrays, or views into the wasm heap. */
export function mem(backend: unknown): MemBackend {
  const wasm = backend as {
    makeOutput?: (s: number[], d: tf.DataType) => tf.TensorInfo;
    typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array;
  };
  if (wasm.makeOutput && wasm.typedArrayFromHeap) {
    return {
      alloc: (s) =>
        (wasm.makeOutput as (s: number[], d: tf.DataType) => tf.TensorInfo)(s, 'float32'),
      view: (t) => (wasm.typedArrayFromHeap as (t: tf.TensorInfo) => Float32Array)(t),
    };
  }
  const cpu = backend as {
    makeTensorInfo(s: number[], d: tf.DataType, v: Float32Array): tf.TensorInfo;
    data: { get(id: tf.DataId): { values: Float32Array } };
  };
  return {
    alloc: (s) => cpu.makeTensorInfo(s, 'float32', new Float32Array(tf.util.sizeFromShape(s))),
    view: (t) => cpu.data.get(t.dataId).values,
  };
}

const sig = (x: number) => 1 / (1 + Math.exp(-x));
// Math.tanh is several times slower than Math.exp in V8; this form is exact to float32 precision.
const tanh = (x: number) => 2 / (1 + Math.exp(-2 * x)) - 1;

/**
 * Forward step. Inputs: xp [t, b, 4u] (all steps' input projections), hr [b, 4u] (= h W_r),
 * h, c [b, u], optional mask [t, b, 1]. Attr step. Outputs: h, c (after masking), act [b, 4u]
 * (i, f, g, o activations), cRaw [b, u] (cell before masking, needed by the backward pass).
 */
function lstmStep(args: KernelArgs): tf.TensorInfo[] {
  const m = mem(args.backend);
  const { xp, hr, h, c, mask } = args.inputs as Record<string, tf.TensorInfo>;
  const step = (args.attrs as { step: number }).step;
  const [b, u] = (h as tf.TensorInfo).shape as [number, number];
  const outs = [m.alloc([b, u]), m.alloc([b, u]), m.alloc([b, 4 * u]), m.alloc([b, u])];
  // Views only after every allocation: a growing wasm heap detaches older views.
  const [hO, cO, aO, crO] = outs.map((o) => m.view(o)) as Float32Array[];
  const X = m.view(xp as tf.TensorInfo);
  const HR = m.view(hr as tf.TensorInfo);
  const H = m.view(h as tf.TensorInfo);
  const C = m.view(c as tf.TensorInfo);
  const M = mask ? m.view(mask) : null;
  const xo = step * b * 4 * u;
  for (let r = 0; r < b; r++) {
    const zr = r * 4 * u;
    const keep = M ? (M[step * b + r] as number) !== 0 : true;
    for (let j = 0; j < u; j++) {
      const zi = zr + j;
      const i = sig((X[xo + zi] as number) + (HR[zi] as number));
      const f = sig((X[xo + zi + u] as number) + (HR[zi + u] as number));
      const g = tanh((X[xo + zi + 2 * u] as number) + (HR[zi + 2 * u] as number));
      const o = sig((X[xo + zi + 3 * u] as number) + (HR[zi + 3 * u] as number));
      const k = r * u + j;
      const cPrev = C[k] as number;
      const cr = f * cPrev + i * g;
      (aO as Float32Array)[zi] = i;
      (aO as Float32Array)[zi + u] = f;
      (aO as Float32Array)[zi + 2 * u] = g;
      (aO as Float32Array)[zi + 3 * u] = o;
      (crO as Float32Array)[k] = cr;
      (cO as Float32Array)[k] = keep ? cr : cPrev;
      (hO as Float32Array)[k] = keep ? o * tanh(cr) : (H[k] as number);
    }
  }
  return outs;
}

/**
 * Backward step. Inputs: act [b, 4u], cPrev, cRaw [b, u], dh, dc [b, u] (carried from step+1),
 * dy [rows, b, u] (upstream gradient of the packed output), optional mask [t, b, 1].
 * Attrs step, dyRow (row of dy holding this step's output gradient, -1 for none).
 * Outputs: dz [b, 4u] (pre-activation gradient), dhSkip [b, u] (part of dh that bypasses a
 * masked step), dcPrev [b, u].
 */
function lstmStepGrad(args: KernelArgs): tf.TensorInfo[] {
  const m = mem(args.backend);
  const { act, cPrev, cRaw, dh, dc, dy, mask } = args.inputs as Record<string, tf.TensorInfo>;
  const { step, dyRow } = args.attrs as { step: number; dyRow: number };
  const [b, u] = (cPrev as tf.TensorInfo).shape as [number, number];
  const outs = [m.alloc([b, 4 * u]), m.alloc([b, u]), m.alloc([b, u])];
  const [dzO, dhO, dcO] = outs.map((o) => m.view(o)) as Float32Array[];
  const A = m.view(act as tf.TensorInfo);
  const CP = m.view(cPrev as tf.TensorInfo);
  const CR = m.view(cRaw as tf.TensorInfo);
  const DH = m.view(dh as tf.TensorInfo);
  const DC = m.view(dc as tf.TensorInfo);
  const DY = m.view(dy as tf.TensorInfo);
  const M = mask ? m.view(mask) : null;
  const yo = dyRow * b * u;
  for (let r = 0; r < b; r++) {
    const keep = M ? (M[step * b + r] as number) !== 0 : true;
    for (let j = 0; j < u; j++) {
      const k = r * u + j;
      const zi = r * 4 * u + j;
      const dhT = (DH[k] as number) + (dyRow >= 0 ? (DY[yo + k] as number) : 0);
      const dcT = DC[k] as number;
      if (!keep) {
        // The step passed h and c through unchanged.
        (dzO as Float32Array)[zi] = 0;
        (dzO as Float32Array)[zi + u] = 0;
        (dzO as Float32Array)[zi + 2 * u] = 0;
        (dzO as Float32Array)[zi + 3 * u] = 0;
        (dhO as Float32Array)[k] = dhT;
        (dcO as Float32Array)[k] = dcT;
        continue;
      }
      const i = A[zi] as number;
      const f = A[zi + u] as number;
      const g = A[zi + 2 * u] as number;
      const o = A[zi + 3 * u] as number;
      const tc = tanh(CR[k] as number);
      const dcn = dcT + dhT * o * (1 - tc * tc);
      (dzO as Float32Array)[zi] = dcn * g * i * (1 - i);
      (dzO as Float32Array)[zi + u] = dcn * (CP[k] as number) * f * (1 - f);
      (dzO as Float32Array)[zi + 2 * u] = dcn * i * (1 - g * g);
      (dzO as Float32Array)[zi + 3 * u] = dhT * tc * o * (1 - o);
      (dhO as Float32Array)[k] = 0;
      (dcO as Float32Array)[k] = dcn * f;
    }
  }
  return outs;
}

/** Inputs z [b, 4u] (gate order i, f, g, o) and c [b, u]; outputs h, c' [b, u]. */
function lstmGates(args: KernelArgs): tf.TensorInfo[] {
  const m = mem(args.backend);
  const { z, c } = args.inputs as Record<string, tf.TensorInfo>;
  const [b, u] = (c as tf.TensorInfo).shape as [number, number];
  const outs = [m.alloc([b, u]), m.alloc([b, u])];
  const [hO, cO] = outs.map((o) => m.view(o)) as [Float32Array, Float32Array];
  const Z = m.view(z as tf.TensorInfo);
  const C = m.view(c as tf.TensorInfo);
  for (let r = 0; r < b; r++) {
    for (let j = 0; j < u; j++) {
      const zi = r * 4 * u + j;
      const k = r * u + j;
      const cr =
        sig(Z[zi + u] as number) * (C[k] as number) +
        sig(Z[zi] as number) * tanh(Z[zi + 2 * u] as number);
      cO[k] = cr;
      hO[k] = sig(Z[zi + 3 * u] as number) * tanh(cr);
    }
  }
  return outs;
}

/** Gradient of the gates kernel in tf ops (any backend): dz [b, 4u] and dc [b, u]. */
function lstmGatesGrad(
  dy: tf.Tensor | tf.Tensor[],
  saved: tf.Tensor[],
): Record<string, () => tf.Tensor> {
  const [dh, dc2] = dy as [tf.Tensor2D, tf.Tensor2D];
  const [z, c, , c2] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const parts = () => {
    const [zi, zf, zg, zo] = tf.split(z, 4, 1) as tf.Tensor2D[];
    return {
      i: tf.sigmoid(zi as tf.Tensor2D),
      f: tf.sigmoid(zf as tf.Tensor2D),
      g: tf.tanh(zg as tf.Tensor2D),
      o: tf.sigmoid(zo as tf.Tensor2D),
    };
  };
  const dcTotal = (o: tf.Tensor, tc: tf.Tensor) =>
    tf.add(dc2, tf.mul(tf.mul(dh, o), tf.sub(1, tf.square(tc)))); // dL/dc' through h and directly
  return {
    z: () =>
      tf.tidy(() => {
        const { i, f, g, o } = parts();
        const tc = tf.tanh(c2);
        const d = dcTotal(o, tc);
        const dsig = (s: tf.Tensor) => tf.mul(s, tf.sub(1, s));
        return tf.concat(
          [
            tf.mul(tf.mul(d, g), dsig(i)),
            tf.mul(tf.mul(d, c), dsig(f)),
            tf.mul(tf.mul(d, i), tf.sub(1, tf.square(g))),
            tf.mul(tf.mul(dh, tc), dsig(o)),
          ],
          1,
        );
      }),
    c: () =>
      tf.tidy(() => {
        const { f, o } = parts();
        return tf.mul(dcTotal(o, tf.tanh(c2)), f);
      }),
  };
}

let registered = false;

/** Registers the fused kernels on cpu and wasm (idempotent). */
export function registerFusedLstmKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of ['cpu', 'wasm']) {
    tf.registerKernel({ kernelName: LSTM_STEP, backendName, kernelFunc: lstmStep as never });
    tf.registerKernel({
      kernelName: LSTM_STEP_GRAD,
      backendName,
      kernelFunc: lstmStepGrad as never,
    });
    tf.registerKernel({ kernelName: LSTM_GATES, backendName, kernelFunc: lstmGates as never });
  }
  tf.registerGradient({
    kernelName: LSTM_GATES,
    inputsToSave: ['z', 'c'],
    outputsToSave: [true, true],
    gradFunc: lstmGatesGrad as never,
  });
}

let enabled = true;

/** Turns all fused JS kernels (LSTM steps, softmax cross-entropy) off: tests use it to exercise the tf-ops path webgl/webgpu take. */
export function setFusedLstmKernels(on: boolean): void {
  enabled = on;
}

/** Whether the active backend runs the fused path. */
export function fusedLstmAvailable(): boolean {
  registerFusedLstmKernels();
  return enabled && tf.getKernel(LSTM_STEP, tf.getBackend()) != null;
}

/**
 * The LSTM gate math from a pre-activation `z = x W + h U + b` [b, 4u] (gate order i, f, g, o)
 * and the previous cell c [b, u]: `c' = σ(f) c + σ(i) tanh(g)`, `h = σ(o) tanh(c')`.
 * One fused kernel on cpu and wasm (with a registered gradient), plain tf ops elsewhere; a
 * decoder that builds z itself (one matmul over concatenated inputs) calls this per step.
 * @example const { h, c } = lstmGatesStep(z, state.c);
 */
export function lstmGatesStep(z: tf.Tensor2D, c: tf.Tensor2D): { h: tf.Tensor2D; c: tf.Tensor2D } {
  if (z.rank !== 2 || c.rank !== 2 || z.shape[0] !== c.shape[0] || z.shape[1] !== 4 * c.shape[1]) {
    throw new Error(
      `lstmGatesStep: expected z [b, 4u] and c [b, u], got z [${z.shape}] and c [${c.shape}]`,
    );
  }
  if (fusedLstmAvailable()) {
    const [h, c2] = tf
      .engine()
      .runKernel(LSTM_GATES, { z, c } as unknown as tf.NamedTensorMap) as unknown as tf.Tensor2D[];
    return { h: h as tf.Tensor2D, c: c2 as tf.Tensor2D };
  }
  return tf.tidy(() => {
    const r = gatesFromPreactivation(z, c);
    return { h: r.h, c: r.c };
  });
}
