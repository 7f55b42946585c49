/**
 * The esbuild step shared by the installable CLI package (`npm run bundle`, into
 * `packages/ftbot/dist/cli/`) and the checkout's own CLI (`npm run build`, into `dist/bin/`, which
 * `bin/ftbot.js` runs): an ES module bundle of the CLI with every dependency inlined, and the
 * chunks it loads on demand. One bundle loads a few modules where the compiled `dist/` tree loads
 * fifty, each resolved, read and compiled on its own: a quarter of a warm re-scan's CPU.
 */
import { build } from 'esbuild';
import { cp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

// The tree-sitter runtime and grammars, copied beside the bundle: the inlined runtime looks for
// its `.wasm` beside the module that holds it, and `load-grammars` looks there first.
const wasm = [
  'web-tree-sitter/web-tree-sitter.wasm',
  'tree-sitter-c/tree-sitter-c.wasm',
  'tree-sitter-cpp/tree-sitter-cpp.wasm',
  'tree-sitter-python/tree-sitter-python.wasm',
  'tree-sitter-rust/tree-sitter-rust.wasm',
];

/**
 * Writes the bundle to `outdir`, with the `.wasm` files beside it. `outdir` must sit two
 * folders below a package root holding
 * `knowledge/`, `docs/rules/` and `prompts/` (`packagePath()` and the knowledge index resolve two up).
 */
export async function bundleCli(outdir: string): Promise<void> {
  // Chunk names carry a content hash: without emptying the folder first, every build leaves the
  // previous build's chunks behind, and the scan cache's code stamp (taken over the folder) would
  // change with them.
  await rm(outdir, { recursive: true, force: true });
  await build({
    // The CLI, and the script a cold scan's worker threads run (it scans its part when loaded in one).
    entryPoints: { ftbot: join(root, 'src', 'cli', 'entry.ts'), 'scan-part-worker': join(root, 'src', 'io', 'scan-part-worker.ts') },
    outdir,
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
  for (const file of wasm) await cp(require.resolve(file), join(outdir, file.slice(file.lastIndexOf('/') + 1)));
}
