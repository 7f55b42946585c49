// Runs bin/ftbot.js on the TypeScript sources, so the end-to-end CLI test needs no build:
//   node --import tsx --import ./test/helpers/bin-from-source.mjs bin/ftbot.js scan
// The resolve hook below maps the bundle bin/ftbot.js imports (`../dist/bin/ftbot.mjs`) to the
// bundle's entry, `../src/cli/entry.ts`, which tsx compiles on the fly. Everything else resolves
// as usual.
import { register } from 'node:module';

register('./bin-from-source-hooks.mjs', import.meta.url);
