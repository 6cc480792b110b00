import { defineConfig } from 'vitest/config';

/** The container suites: run by `npm run test:containers` (scripts/containers/run-tests.sh). */
export default defineConfig({
  test: {
    include: ['tests/containers/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    pool: 'forks',
    fileParallelism: false,
    globalSetup: ['tests/containers/setup/global-images.ts', 'tests/containers/setup/global-redis.ts'],
  },
});
