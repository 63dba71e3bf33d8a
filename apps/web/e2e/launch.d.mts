// Types of launch.mjs for the TypeScript callers (playwright.config.ts).
import type { Browser, LaunchOptions } from 'playwright-core';

export declare const web: string;
export declare const launchOptions: LaunchOptions & { executablePath: string; args: string[] };
export declare function freePort(): Promise<number>;
export declare function startServer(): Promise<{ base: string; stop: () => void }>;
export declare function launchBrowser(): Promise<Browser>;
