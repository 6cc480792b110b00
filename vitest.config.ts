import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['services/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['tests/containers/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['tests/setup/global-redis.ts', 'tests/setup/global-build.ts'],
  },
});
