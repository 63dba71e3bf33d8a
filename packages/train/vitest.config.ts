import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tooling/fast-check-seed.ts'],
    testTimeout: 180_000,
    pool: 'forks',
  },
});
