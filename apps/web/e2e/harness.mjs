// The server and browser of scripts/timeline.mjs, loadtest.mjs and caption-cpu.mjs, under the
// name they import; the same as launch.mjs (the Playwright tests and the perf script use that).
export { launchBrowser, startServer, web } from './launch.mjs';
