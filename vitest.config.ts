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
    // Test files share their worker's module graph instead of importing src/ afresh each: the
    // imports were over half of the suite's CPU (measured: 80 s of imports, 206 s wall, against
    // 14 s and 66 s shared). Every test sets up and tears down its own app, fakes and nock scopes.
    // The slow suites (Redis, workers, processes) keep isolated files.
    isolate: process.env.FTBOT_SLOW_TESTS === '1',
  },
});
