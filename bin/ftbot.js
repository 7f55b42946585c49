#!/usr/bin/env node
// Runs the bundled CLI that `npm run build` writes to dist/bin/ (one module and the chunks the
// command needs, instead of the fifty modules of the compiled dist/ tree); it sets the exit code.
import '../dist/bin/ftbot.mjs';
