import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits at src/io/ (run from source) or dist/io/ (built): the package root is two up.
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** An absolute path inside the installed package (docs, knowledge, prompts, examples). */
export function packagePath(...parts: string[]): string {
  return join(root, ...parts);
}
