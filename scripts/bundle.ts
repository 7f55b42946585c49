/**
 * Builds the installable CLI package in `packages/ftbot/`: an ES module bundle of the CLI
 * (`dist/cli/ftbot.mjs` and the chunks it loads on demand, every dependency inlined) with the tree-sitter runtime and grammar
 * `.wasm` files beside it, plus the knowledge index, rule docs and prompts the commands read.
 * The package has no dependencies, so installing it installs nothing else.
 *
 *   npm run bundle            # writes packages/ftbot/{dist,knowledge,docs,prompts,LICENSE}
 */
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'packages', 'ftbot');
const require = createRequire(import.meta.url);

// The bundle sits two folders below the package root (`dist/cli/`), as `dist/io/*.js` does in a
// checkout, so `packagePath()` and the knowledge index's relative URL resolve the same way.
const wasm = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-c/tree-sitter-c.wasm',
  'tree-sitter-cpp/tree-sitter-cpp.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-rust/tree-sitter-rust.wasm',
];

export async function bundle(): Promise<void> {
  for (const part of ['dist', 'knowledge', 'docs', 'prompts']) await rm(join(out, part), { recursive: true, force: true });
  await mkdir(join(out, 'dist', 'cli'), { recursive: true });
  await build({
    // The CLI, and the script a cold scan's worker threads run (it scans its part when loaded in one).
    entryPoints: { ftbot: join(root, 'src', 'cli', 'entry.ts'), 'scan-part-worker': join(root, 'src', 'io', 'scan-part-worker.ts') },
    outdir: join(out, 'dist', 'cli'),
    outExtension: { '.js': '.mjs' },
    // Each command's modules (and the libraries only they use: the GitHub client, the OpenAI
    // client, Markdown, zod) are chunks loaded when the command runs: `ftbot scan` compiles about
    // a quarter of the code instead of all of it. Chunks sit beside the entry, so paths relative
    // to a module (`import.meta.url`) resolve the same from any of them.
    splitting: true,
    chunkNames: 'chunk-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minifySyntax: true,
    // Licence comments stay at the end of the chunk holding their code.
    legalComments: 'eof',
    logLevel: 'warning',
    // Some bundled CommonJS dependencies call `require`; an ES module has none of its own. Made on
    // first call: most chunks never call it, and making one costs a URL conversion per chunk.
    banner: {
      js: "import { createRequire as ftbotCreateRequire } from 'node:module';\nlet ftbotRequire;\nfunction require(id) {\n  ftbotRequire ??= ftbotCreateRequire(import.meta.url);\n  return ftbotRequire(id);\n}",
    },
  });
  for (const file of wasm) await cp(require.resolve(file), join(out, 'dist', 'cli', file.slice(file.lastIndexOf('/') + 1)));
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
