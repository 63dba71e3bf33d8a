// @seqlab/lab public entry: the RNN lab's models and tasks (pure tensor code, no DOM, no I/O).
export * from './char-vocab';
export * from './classifier';
export * from './feedforward';
export * from './forecaster';
export * from './gradient-lab';
export * from './langid-data';
export * from './langid-files';
export * from './params';
export * from './seeded';
export * from './series';
export * from './tagger';
export * from './tasks';
export * from './token-gates';
export * from './unroll';
