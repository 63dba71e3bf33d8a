// Imported first by bin.ts: V8 fixes a process's WebAssembly features at its first compile, and
// the training kernels' FMA build needs relaxed SIMD (behind a flag in Node 20), so it is
// switched on before anything compiles.
import { enableRelaxedSimd } from '@seqlab/kernels/node';

enableRelaxedSimd();
