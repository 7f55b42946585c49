import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Packing and installing the CLI takes tens of seconds (`npm run test:install`); worker-thread and
    // multi-process suites run with `npm run test:slow`.
    exclude: process.env.FTBOT_SLOW_TESTS === '1' ? ['**/node_modules/**'] : ['**/node_modules/**', 'test/slow/**', 'test/install/**'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    pool: 'forks',
    // Vitest leaves one core idle by default, which halves the suite's speed on a 2-core machine.
    maxWorkers: availableParallelism(),
  },
});
