import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus and SARIF validator tests spawn processes and read many files.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // sgscan has no global state, so test files need not each re-import the whole tool: on 2 cores
    // isolation cost more CPU than the tests themselves (import 58 s vs 4 s for test/rules+model+sets+network).
    isolate: false,
  },
});
