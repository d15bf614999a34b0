import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    // Hooks that build a corpus (the differential tests' beforeAll) take seconds on a loaded machine.
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
