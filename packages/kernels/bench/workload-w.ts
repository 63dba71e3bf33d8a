// Workload W as a kernel-step configuration and batch, the matmul FLOPs of a step, and bench
// parameters — shared by the Node benchmark and the in-page (Chromium) one, so no Node imports.
import { type KernelBatch, type KernelSeq2SeqConfig, seq2seqLayout } from '../src/index';

export interface WorkloadW {
  batch: number;
  srcLen: number;
  tgtLen: number;
  vocab: number;
  emb: number;
  hidden: number;
}

/** Workload W as a kernel config: unidirectional encoder, decoder from its final state, no attention. */
export function wConfig(w: WorkloadW): KernelSeq2SeqConfig {
  return {
    srcVocab: w.vocab,
    tgtVocab: w.vocab,
    embDim: w.emb,
    hidden: w.hidden,
    encoderHidden: w.hidden,
    encoderLayers: 1,
    decoderLayers: 1,
    bidirectional: false,
    attention: 'none',
    bridge: 'copy',
    dropout: 0,
    labelSmoothing: 0,
  };
}

/** W's batch, the same ids as packages/rnn/bench/workload.ts batchData. */
export function wBatch(w: WorkloadW): KernelBatch {
  const rows = (seed: number, len: number) => {
    let s = seed;
    return Array.from({ length: w.batch }, () =>
      Array.from({ length: len }, () => {
        s = (s * 1103515245 + 12345) >>> 0;
        return 1 + (s % (w.vocab - 1));
      }),
    );
  };
  return { src: rows(1, w.srcLen), tgt: rows(2, w.tgtLen) };
}

/** Matmul FLOPs of one step (forward + both backward products = 3 × forward). */
export function stepFlops(c: KernelSeq2SeqConfig, b: number, S: number, L: number): number {
  const dirs = c.bidirectional ? 2 : 1;
  const h = c.encoderHidden;
  const H = c.hidden;
  const d = h * dirs;
  let mac = dirs * S * b * (c.embDim + h) * 4 * h; // encoder (1 layer per layer below)
  for (let l = 1; l < c.encoderLayers; l++) mac += dirs * S * b * (d + h) * 4 * h;
  mac += L * b * (c.embDim + H) * 4 * H;
  for (let l = 1; l < c.decoderLayers; l++) mac += L * b * 2 * H * 4 * H;
  if ((c.bridge ?? 'dense') === 'dense') mac += c.decoderLayers * 2 * b * d * H;
  if (c.attention === 'dot') mac += S * b * d * H + b * L * S * (H + d) + L * b * (H + d) * H;
  mac += L * b * H * c.tgtVocab;
  return 3 * 2 * mac;
}

/** Small deterministic parameters (their values do not change the step time). */
export function benchParams(c: KernelSeq2SeqConfig): Record<string, Float32Array> {
  let s = 99;
  const out: Record<string, Float32Array> = {};
  for (const slot of seq2seqLayout(c).slots)
    out[slot.name] = Float32Array.from({ length: slot.size }, () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return (s / 2 ** 32 - 0.5) * 0.1;
    });
  return out;
}

/** Non-PAD target tokens of a batch (what tokens/s counts). */
export const targetTokens = (b: KernelBatch): number =>
  b.tgt.reduce((n, r) => n + r.filter((v) => v !== 0).length, 0);
