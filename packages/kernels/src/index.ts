// @seqlab/kernels: seqlab's WebAssembly SIMD kernels, the one place for them.

export { type FloatKernels, KernelArena } from './decode/arena';
export { int8HeadSimdAvailable, simdLogSumExp, simdModule } from './decode/simd';
export { compileBase64, fromBase64, KernelInstance } from './instance';
