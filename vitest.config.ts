import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus and SARIF validator tests spawn processes and read many files.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
