// What `load` prepares for decoding on the host: the int8 output layer and host steps.
import { hostSelectByDefault, int8HeadSimdAvailable } from '@seqlab/seq2seq';

/**
 * Decoding picks tokens on the host (cpu and wasm; webgl and webgpu keep logits on the GPU) and
 * the runtime has WebAssembly SIMD.
 */
function hostKernelsUsable(): boolean {
  return hostSelectByDefault() && int8HeadSimdAvailable();
}

/**
 * True unless the caller said no, where the host kernels are usable, for a layer large enough
 * to gain (vocabulary × hidden ≥ 32,768; below that the float32 matmul costs less than the
 * host trip). The int8 head's JS fallback is exact but slower than the float32 matmul, so
 * without SIMD there is no head.
 */
export function wantsInt8Head(
  opts: { int8Head?: boolean },
  cfg: { vocab: number; hidden: number },
): boolean {
  return opts.int8Head !== false && hostKernelsUsable() && cfg.vocab * cfg.hidden >= 32_768;
}

/**
 * Whether `load`, with these options on the current backend, runs encoding and decoding steps on
 * seqlab's WebAssembly SIMD kernels: unless the caller said no, where they are usable.
 */
export function wantsHostDecoding(opts: { hostDecoding?: boolean }): boolean {
  return opts.hostDecoding !== false && hostKernelsUsable();
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
