import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { Grammars } from '../core/engine/scan-files.js';

const require = createRequire(import.meta.url);
let loading: Promise<Grammars> | undefined;

/**
 * Loads the tree-sitter WASM runtime and the grammars that ship inside the grammar packages
 * (no native build, no download). Loaded once per process and shared.
 */
export function loadGrammars(): Promise<Grammars> {
  loading ??= (async () => {
    await Parser.init();
    const load = (spec: string): Promise<Language> => Language.load(require.resolve(spec));
    const [c, cpp, python, rust] = await Promise.all([
      load('tree-sitter-c/tree-sitter-c.wasm'),
      load('tree-sitter-cpp/tree-sitter-cpp.wasm'),
      load('tree-sitter-python/tree-sitter-python.wasm'),
      load('tree-sitter-rust/tree-sitter-rust.wasm'),
    ]);
    return { c, cpp, python, rust };
  })();
  return loading;
}
