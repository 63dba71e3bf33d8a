// @seqlab/rnn public entry: recurrent layers, initializers, gradient tools, losses and backend setup.
export * from './backend';
export * from './bidirectional';
export * from './bptt';
export * from './clip';
export * from './fused-kernels';
export * from './gates';
export * from './gru';
export * from './initializers';
export * from './losses';
export * from './lstm';
export * from './lstm-cell';
export * from './lstm-states';
export * from './probe';
export * from './simple-rnn';
export * from './time-loop';
export { registerWasmSegmentSum, setWasmMatMulRoute } from './wasm-backend-patches';
export { registerXentKernels } from './xent-kernels';
