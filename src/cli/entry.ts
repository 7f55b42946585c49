#!/usr/bin/env node
// Entry point of the bundled CLI (`packages/ftbot/dist/cli/ftbot.mjs`): runs `main` and sets the
// exit code. `bin/ftbot.js` does the same for the unbundled build in a checkout. A cold scan's
// worker threads load this same file (`io/scan-with-workers.ts`): there it scans its part instead.
import { isMainThread } from 'node:worker_threads';
import { main } from './main.js';

if (isMainThread) process.exitCode = await main();
else await (await import('../io/scan-part-worker.js')).runScanPartWorker();
