// @seqlab/data public entry (pure: no fs, no network). Node-only builders are in '@seqlab/data/node'.
export {};
export * from './shapes';
export * from './images';
export * from './gettext';
export * from './tsv';
export * from './captions';
