import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['../../tooling/fast-check-seed.ts'],
    passWithNoTests: false,
  },
});
