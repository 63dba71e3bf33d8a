// @seqlab/data public entry (pure: no fs, no network). Node-only builders are in '@seqlab/data/node'.
export {};
