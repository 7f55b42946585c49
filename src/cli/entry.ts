#!/usr/bin/env node
// Entry point of the bundled CLI (`packages/ftbot/dist/cli/ftbot.mjs`): runs `main` and sets the
// exit code. `bin/ftbot.js` does the same for the unbundled build in a checkout.
import { main } from './main.js';

process.exitCode = await main();
