/**
 * Builds the installable CLI package in `packages/ftbot/`: an ES module bundle of the CLI
 * (`dist/cli/ftbot.mjs` and the chunks it loads on demand, every dependency inlined) with the tree-sitter runtime and grammar
 * `.wasm` files beside it, plus the knowledge index, rule docs and prompts the commands read.
 * The package has no dependencies, so installing it installs nothing else.
 *
 *   npm run bundle            # writes packages/ftbot/{dist,knowledge,docs,prompts,LICENSE}
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'packages', 'ftbot');


export async function bundle(): Promise<void> {
  for (const part of ['dist', 'knowledge', 'docs', 'prompts']) await rm(join(out, part), { recursive: true, force: true });
  await mkdir(join(out, 'dist', 'cli'), { recursive: true });
  await bundleCli(join(out, 'dist', 'cli'));
  await cp(join(root, 'knowledge'), join(out, 'knowledge'), { recursive: true });
  await cp(join(root, 'docs', 'rules'), join(out, 'docs', 'rules'), { recursive: true });
  await cp(join(root, 'prompts'), join(out, 'prompts'), { recursive: true });
  await cp(join(root, 'LICENSE'), join(out, 'LICENSE'));
  // The CLI package carries the repository's version.
  const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8')) as { version: string };
  const version = (JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  if (pkg.version !== version) {
    pkg.version = version;
    await writeFile(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  }
}

await bundle();
