// TSV parallel corpora: parse and format (pure).
export * from './tsv';
