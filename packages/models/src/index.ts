// models public entry
export {};
