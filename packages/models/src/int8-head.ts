// When `load` gives a decoder an int8 output layer (LoadOptions.int8Head).
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
    cfg.vocab * cfg.hidden >= 32_768
  );
}
