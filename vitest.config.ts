import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing and installing the CLI takes tens of seconds: `npm run test:install` runs it.
    exclude: ['test/install/**', '**/node_modules/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
