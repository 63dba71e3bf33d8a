// data public entry
export {};
