// @seqlab/data public entry (pure: no fs, no network). Node-only builders are in '@seqlab/data/node'.

export * from './captions';
export * from './gettext';
export * from './images';
export * from './shapes';
export * from './tsv';
