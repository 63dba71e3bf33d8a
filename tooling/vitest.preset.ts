// The one vitest configuration of the packages: tests in test/**/*.test.ts, forked workers, a long
// timeout for the tiny training runs, and (where the package uses fast-check) a fixed seed.

export interface TestPresetOptions {
  /** Seed fast-check from tooling/fast-check-seed.ts (needs fast-check in the package); default true. */
  fastCheckSeed?: boolean;
}

/**
 * The `test` block of a package's vitest.config.ts.
 * @example export default defineConfig(testPreset()); // in packages/NAME/vitest.config.ts
 */
export function testPreset(opts: TestPresetOptions = {}) {
  return {
    test: {
      include: ['test/**/*.test.ts'],
      ...(opts.fastCheckSeed === false ? {} : { setupFiles: ['../../tooling/fast-check-seed.ts'] }),
      testTimeout: 180_000,
      pool: 'forks' as const,
    },
  };
}
