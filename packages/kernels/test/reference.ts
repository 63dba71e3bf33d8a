// The reference path for the kernel step's tests: @seqlab/seq2seq's Seq2Seq.loss math
// (encoder.ts, decoder.ts teacherForcedParallel, attention.ts attendAll, loss.ts) in tfjs ops on
// @seqlab/rnn's LSTM, without dropout, for parameters given by name.
import { lstmTimeMajor } from '@seqlab/rnn';
import * as tf from '@tensorflow/tfjs-core';
import { type KernelSeq2SeqConfig, seq2seqLayout } from '../src/index';

/** Deterministic parameters for `c` (uniform in ±scale), by name. */
export function randomParams(c: KernelSeq2SeqConfig, seed: number, scale = 0.3) {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 2 * scale;
  };
  const out: Record<string, Float32Array> = {};
  for (const slot of seq2seqLayout(c).slots)
    out[slot.name] = Float32Array.from({ length: slot.size }, rnd);
  return out;
}

const pad = (rows: readonly (readonly number[])[]) => {
  const len = Math.max(1, ...rows.map((r) => r.length));
  const buf = new Int32Array(rows.length * len);
  rows.forEach((r, i) => {
    buf.set(r, i * len);
  });
  return tf.tensor2d(buf, [rows.length, len], 'int32');
};

/** Loss and gradients (by name) on the reference path. */
export function referenceLossAndGrads(
  c: KernelSeq2SeqConfig,
  params: Record<string, Float32Array>,
  batch: { src: number[][]; tgt: number[][] },
  labelSmoothing: number,
): { loss: number; grads: Record<string, Float32Array> } {
  const { slots } = seq2seqLayout(c);
  const vars: Record<string, tf.Variable> = {};
  for (const s of slots)
    vars[s.name] = tf.variable(tf.tensor(params[s.name] as Float32Array, s.shape));
  const v = (n: string) => vars[n] as tf.Variable;
  const lossFn = () => {
    const src = pad(batch.src);
    const output = pad(batch.tgt);
    const [b, L] = output.shape;
    const input = tf.concat([tf.fill([b, 1], 1, 'int32'), tf.slice(output, [0, 0], [b, L - 1])], 1);
    const mask = tf.cast(tf.notEqual(src, 0), 'float32') as tf.Tensor2D;
    let x = tf.gather(v('encoder/embedding'), tf.transpose(src)) as tf.Tensor3D; // [S, b, E]
    let summary: tf.Tensor2D | null = null;
    const finals: { h: tf.Tensor2D; c: tf.Tensor2D }[] = [];
    for (let l = 0; l < c.encoderLayers; l++) {
      const w = (dir: string) => ({
        kernel: v(`encoder/layer${l}/${dir}/kernel`) as tf.Tensor2D,
        recurrentKernel: v(`encoder/layer${l}/${dir}/recurrent_kernel`) as tf.Tensor2D,
        bias: v(`encoder/layer${l}/${dir}/bias`) as tf.Tensor1D,
      });
      const f = lstmTimeMajor(x, w('fwd'), { mask, returnSequences: true });
      finals.push({ h: f.h, c: f.c });
      if (c.bidirectional) {
        const bw = lstmTimeMajor(x, w('bwd'), { mask, goBackwards: true, returnSequences: true });
        x = tf.concat([f.sequence as tf.Tensor3D, tf.reverse(bw.sequence as tf.Tensor3D, 0)], 2);
        summary = tf.concat([f.h, bw.h], 1);
      } else {
        x = f.sequence as tf.Tensor3D;
        summary = f.h;
      }
    }
    const memory = tf.transpose(x, [1, 0, 2]) as tf.Tensor3D; // [b, S, d]
    const [, S, d] = memory.shape;
    let y = tf.gather(v('decoder/embedding'), tf.transpose(input)) as tf.Tensor3D; // [L, b, E]
    for (let l = 0; l < c.decoderLayers; l++) {
      let h0: tf.Tensor2D;
      let c0: tf.Tensor2D;
      if ((c.bridge ?? 'dense') === 'dense') {
        const s = summary as tf.Tensor2D;
        h0 = tf.tanh(
          tf.add(
            tf.matMul(s, v(`decoder/bridge${l}/h_kernel`) as tf.Tensor2D),
            v(`decoder/bridge${l}/h_bias`),
          ),
        ) as tf.Tensor2D;
        c0 = tf.add(
          tf.matMul(s, v(`decoder/bridge${l}/c_kernel`) as tf.Tensor2D),
          v(`decoder/bridge${l}/c_bias`),
        );
      } else ({ h: h0, c: c0 } = finals[l] as { h: tf.Tensor2D; c: tf.Tensor2D });
      const w = {
        kernel: v(`decoder/layer${l}/kernel`) as tf.Tensor2D,
        recurrentKernel: v(`decoder/layer${l}/recurrent_kernel`) as tf.Tensor2D,
        bias: v(`decoder/layer${l}/bias`) as tf.Tensor1D,
      };
      y = lstmTimeMajor(y, w, { initialState: { h: h0, c: c0 }, returnSequences: true })
        .sequence as tf.Tensor3D;
    }
    let Hs = y; // [L, b, H]
    if (c.attention === 'dot') {
      const keys = tf.reshape(
        tf.matMul(tf.reshape(memory, [b * S, d]), v('decoder/attention/wk') as tf.Tensor2D),
        [b, S, -1],
      );
      const q = tf.transpose(y, [1, 0, 2]) as tf.Tensor3D; // [b, L, H]
      const scores = tf.matMul(q, keys, false, true);
      const bias = tf.mul(tf.sub(1, mask), -1e9);
      const weights = tf.softmax(tf.add(scores, tf.expandDims(bias, 1)));
      const ctx = tf.matMul(weights, memory);
      const cat = tf.concat([q, ctx], 2) as tf.Tensor3D;
      const [bb, LL, w] = cat.shape;
      const comb = tf.tanh(
        tf.add(
          tf.matMul(tf.reshape(cat, [bb * LL, w]), v('decoder/combine/kernel') as tf.Tensor2D),
          v('decoder/combine/bias'),
        ),
      );
      Hs = tf.transpose(tf.reshape(comb, [bb, LL, -1]), [1, 0, 2]) as tf.Tensor3D;
    }
    const H = Hs.shape[2];
    const logits = tf.reshape(
      tf.add(
        tf.matMul(tf.reshape(Hs, [L * b, H]), v('decoder/out/kernel') as tf.Tensor2D),
        v('decoder/out/bias'),
      ),
      [L, b, c.tgtVocab],
    );
    const ids = tf.transpose(output);
    const logp = tf.logSoftmax(logits);
    const nll = tf.neg(tf.sum(tf.mul(logp, tf.oneHot(ids, c.tgtVocab)), -1));
    let tok = nll;
    if (labelSmoothing > 0)
      tok = tf.add(
        tf.mul(nll, 1 - labelSmoothing),
        tf.mul(tf.neg(tf.mean(logp, -1)), labelSmoothing),
      );
    const m = tf.cast(tf.notEqual(ids, 0), 'float32');
    return tf.div(tf.sum(tf.mul(tok, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
  };
  const { value, grads } = tf.variableGrads(lossFn, Object.values(vars));
  const byId = new Map(Object.entries(vars).map(([n, x]) => [x.name, n]));
  const out: Record<string, Float32Array> = {};
  for (const [id, g] of Object.entries(grads))
    out[byId.get(id) as string] = g.dataSync() as Float32Array;
  const loss = value.dataSync()[0] as number;
  tf.dispose([value, ...Object.values(grads), ...Object.values(vars)]);
  return { loss, grads: out };
}
