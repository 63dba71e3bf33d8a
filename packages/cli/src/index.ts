// cli public entry
export {};
