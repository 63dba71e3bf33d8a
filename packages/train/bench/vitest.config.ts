import { defineConfig } from 'vitest/config';

// Benchmarks are opt-in: `pnpm exec vitest run --config bench/vitest.config.ts`.
export default defineConfig({
  test: { include: ['bench/**/*.bench-test.ts'], testTimeout: 600_000, pool: 'forks' },
});
