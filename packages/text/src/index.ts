// text public entry
export {};
