// rnn public entry
export {};
