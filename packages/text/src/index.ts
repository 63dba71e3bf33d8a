// @seqlab/text public entry: placeholders, Vocab, BPE tokenizer, BLEU and chrF (pure: browser and Node).

export * from './bleu';
export * from './bpe';
export * from './caption-words';
export * from './chrf';
export * from './copy-spans';
export * from './hash';
export * from './placeholders';
export * from './random';
export * from './significance';
export * from './tokenizers';
export * from './typos';
export * from './unicode';
export * from './verbatim';
export * from './vocab';
