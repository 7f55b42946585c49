#!/usr/bin/env node
// Entry point of the bundled CLI (`packages/ftbot/dist/cli/ftbot.mjs` in the installable package,
// `dist/bin/ftbot.mjs` in a built checkout, which `bin/ftbot.js` imports): runs `main` and sets the
// exit code. A cold scan's worker threads load the bundle's other entry, `scan-part-worker.mjs`
// (`io/scan-with-workers.ts`).
import { main } from './main.js';

process.exitCode = await main();
