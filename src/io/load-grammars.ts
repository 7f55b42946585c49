import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Language } from 'web-tree-sitter';
import type { Grammars } from '../core/engine/scan-files.js';
import type { SourceLanguage } from '../core/languages.js';
import { applyWasmTier } from './v8-tiers.js';

/** Made on first use: the bundled CLI finds every `.wasm` beside itself, and making one costs a warm re-scan about 1 % of its CPU. */
let require: NodeJS.Require | undefined;
const grammarFiles: Record<keyof Grammars, string> = {
  c: 'tree-sitter-c/tree-sitter-c.wasm',
  cpp: 'tree-sitter-cpp/tree-sitter-cpp.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  rust: 'tree-sitter-rust/tree-sitter-rust.wasm',
};
const grammarOf: Record<SourceLanguage, keyof Grammars> = { c: 'c', cpp: 'cpp', cython: 'python', rust: 'rust' };

/**
 * Where a grammar's `.wasm` is: beside this module in the bundled CLI (`dist/cli/ftbot.mjs` ships
 * the files next to itself), else inside the grammar package in `node_modules`.
 */
function grammarPath(file: string): string {
  const beside = fileURLToPath(new URL(`./${file.slice(file.lastIndexOf('/') + 1)}`, import.meta.url));
  if (existsSync(beside)) return beside;
  require ??= createRequire(import.meta.url);
  return require.resolve(file);
}

/** The `.wasm` files a scan may load: the runtime's and every grammar's (the scan cache's key covers them). */
export function grammarFilePaths(): string[] {
  const runtimeFile = 'web-tree-sitter/web-tree-sitter.wasm';
  return [runtimeFile, ...Object.values(grammarFiles)].map((file) => {
    try {
      return grammarPath(file);
    } catch {
      return file;
    }
  });
}

let runtime: Promise<void> | undefined;
const loaded = new Map<keyof Grammars, Promise<Language>>();

/**
 * Loads the tree-sitter WASM runtime and the grammars that ship inside the grammar packages (no
 * native build, no download), once per process. Only the grammars for `languages` are loaded:
 * compiling the 3.4 MB C++ grammar costs about 50 ms, which a C-only project should not pay.
 */
export async function loadGrammars(languages: Iterable<SourceLanguage> = ['c', 'cpp', 'cython', 'rust']): Promise<Grammars> {
  const wanted = new Set([...languages].map((l) => grammarOf[l]));
  // Nothing to parse (every source came from the scan cache): the runtime is not even compiled.
  if (wanted.size === 0) return {};
  // The CLI's WASM tier, before the runtime or a grammar is compiled.
  applyWasmTier();
  // Imported here, so a process that parses nothing (a warm re-scan) never loads the runtime's code.
  const { Language, Parser } = await import('web-tree-sitter');
  runtime ??= Parser.init();
  await runtime;
  const entries = await Promise.all(
    [...wanted].map(async (name) => {
      let language = loaded.get(name);
      if (language === undefined) {
        language = Language.load(grammarPath(grammarFiles[name]));
        loaded.set(name, language);
      }
      return [name, await language] as const;
    }),
  );
  return Object.fromEntries(entries);
}
