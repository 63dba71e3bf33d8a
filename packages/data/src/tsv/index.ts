// TSV parallel corpora: parse and format (pure), and the strict line splitter every reader shares.
export * from './lines';
export * from './tsv';
