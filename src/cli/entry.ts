#!/usr/bin/env node
// Entry point of the bundled CLI (`packages/ftbot/dist/cli/ftbot.mjs`): runs `main` and sets the
// exit code. `bin/ftbot.js` does the same for the unbundled build in a checkout. A cold scan's
// worker threads load the bundle's other entry, `scan-part-worker.mjs` (`io/scan-with-workers.ts`).
import { main } from './main.js';

process.exitCode = await main();
