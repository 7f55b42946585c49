/**
 * Parses a whole source file with the grammar for its language (drafting needs the full tree, not
 * the segments a scan parses).
 */
import { Parser, type Node, type Tree } from 'web-tree-sitter';
import type { Grammars } from '../engine/scan-files.js';
import { classifyPath } from '../languages.js';

/**
 * Parses `text` as the language of `path`. Returns undefined when the path is not a source file or
 * its grammar is not loaded. The caller must `delete()` the tree (WASM memory).
 */
export function parseSource(params: { path: string; text: string; grammars: Grammars }): Tree | undefined {
  const kind = classifyPath(params.path);
  if (kind?.type !== 'source') return undefined;
  const { grammars } = params;
  const language = { c: grammars.c, cpp: grammars.cpp, cython: grammars.python, rust: grammars.rust }[kind.language];
  if (language === undefined) return undefined;
  const parser = new Parser();
  try {
    parser.setLanguage(language);
    return parser.parse(params.text) ?? undefined;
  } finally {
    parser.delete();
  }
}

/** Counts `ERROR` and missing nodes: how much of the text tree-sitter could not parse. */
export function countSyntaxErrors(root: Node): number {
  if (!root.hasError) return 0;
  let count = 0;
  const cursor = root.walk();
  try {
    let descending = true;
    for (;;) {
      const node = cursor.currentNode;
      if (descending && (node.type === 'ERROR' || node.isMissing)) count++;
      if (descending && node.hasError && cursor.gotoFirstChild()) continue;
      if (cursor.gotoNextSibling()) {
        descending = true;
        continue;
      }
      if (!cursor.gotoParent()) break;
      descending = false;
    }
  } finally {
    cursor.delete();
  }
  return count;
}

/**
 * Blanks preprocessor conditional lines (`#if`, `#ifdef`, `#ifndef`, `#elif`, `#else`, `#endif`)
 * with spaces, keeping every offset: tree-sitter-c parses them only between whole declarations or
 * statements, so a correct guard inside an initializer list (FT008's `{Py_mod_gil, …}` under
 * `#if PY_VERSION_HEX`) would otherwise count as a syntax error.
 */
export function blankConditionals(text: string): string {
  return text.replace(/^[ \t]*#[ \t]*(?:if|ifdef|ifndef|elif|else|endif)\b[^\n]*/gm, (line) => ' '.repeat(line.length));
}
