import { defineConfig } from 'vitest/config';

// `npm run test:install`: packs and installs the CLI (slow, so outside `npm test`); CI runs it.
export default defineConfig({
  test: {
    include: ['test/install/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
