// Whether `load` decodes on seqlab's WebAssembly SIMD kernels (the app's backend badge asks).
import { fastDecodingAvailable } from '@seqlab/seq2seq';

/**
 * Whether `load`, with these options on the current backend, runs encoding and decoding steps on
 * seqlab's WebAssembly SIMD kernels (see FastDecoder): unless the caller said no, where they are usable.
 */
export function wantsHostDecoding(opts: { hostDecoding?: boolean }): boolean {
  return opts.hostDecoding !== false && fastDecodingAvailable();
}
