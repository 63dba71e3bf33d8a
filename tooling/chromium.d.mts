// Types of chromium.mjs for the TypeScript callers.
export declare const CHROMIUM_PATH: string;
export declare const CHROMIUM_ARGS: readonly string[];
