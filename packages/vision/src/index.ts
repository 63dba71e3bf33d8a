// vision public entry
export {};
