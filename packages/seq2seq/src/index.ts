// seq2seq public entry
export {};
