// What `load` prepares for decoding on the host: the int8 output layer and host steps.
import { int8HeadSimdAvailable } from '@seqlab/seq2seq';
import { getBackend } from '@tensorflow/tfjs-core';

/**
 * True unless the caller said no, the backend decodes on the host (cpu, wasm: webgl and webgpu
 * keep logits on the GPU and never use the head) and the layer is large enough to gain
 * (vocabulary × hidden ≥ 32,768; below that the float32 matmul costs less than the host trip).
 */
export function wantsInt8Head(
  opts: { int8Head?: boolean },
  cfg: { vocab: number; hidden: number },
): boolean {
  return (
    opts.int8Head !== false &&
    ['cpu', 'wasm'].includes(getBackend()) &&
    int8HeadSimdAvailable() && // its JS fallback is exact but slower than the float32 matmul
    cfg.vocab * cfg.hidden >= 32_768
  );
}

/** True unless the caller said no and when the backend decodes on the host (cpu, wasm). */
export function wantsHostDecoding(opts: { hostDecoding?: boolean }): boolean {
  return opts.hostDecoding !== false && ['cpu', 'wasm'].includes(getBackend());
}

/**
 * Prepare a loaded model as `opts` ask (see LoadOptions.int8Head and hostDecoding): its decoder,
 * and its text encoder when it has one.
 */
export function prepareDecoder(
  decoder: {
    cfg: { vocab: number; hidden: number };
    useInt8Head(on: boolean): void;
    useHostDecoding(on: boolean): boolean;
  },
  opts: { int8Head?: boolean; hostDecoding?: boolean },
  encoder?: { useHostEncoding(on: boolean): boolean },
): void {
  if (wantsInt8Head(opts, decoder.cfg)) decoder.useInt8Head(true);
  if (wantsHostDecoding(opts)) {
    decoder.useHostDecoding(true);
    encoder?.useHostEncoding(true);
  }
}

/**
 * Whether this runtime runs seqlab's WebAssembly SIMD decoding kernels (so `load` on cpu/wasm
 * decodes with them unless told not to).
 */
export function hostKernelsAvailable(): boolean {
  return int8HeadSimdAvailable();
}
