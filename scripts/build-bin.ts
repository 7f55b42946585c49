/**
 * Second step of `npm run build` (after `tsc`): bundles the CLI into `dist/bin/`, which
 * `bin/ftbot.js` runs, so a checkout's CLI starts as fast as the installed package's.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.js';

await bundleCli(join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin'));
