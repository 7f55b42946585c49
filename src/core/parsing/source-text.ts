/**
 * Small text-level helpers for the places where rules read source as text rather than through
 * the tree: macro invocations tree-sitter does not model (`PYBIND11_MODULE(...)`), CMake commands,
 * and file-wide checks.
 */

/** Offset of the `)` closing the parenthesis that opens at `open`, or -1. */
export function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    else if (c === '"' || c === "'") {
      // Skip a string or character literal (module names and docstrings can hold parentheses).
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    }
  }
  return -1;
}

/**
 * The parenthesised argument list that directly follows offset `after` (white space allowed in
 * between), or undefined when none does or it is not closed.
 *
 * Worked example: `nanobind_add_module(ext src/a.cpp)` with `after` just past the name
 * → `{ open: 19, close: 33, args: 'ext src/a.cpp' }`.
 */
export function argumentsAfter(text: string, after: number): { open: number; close: number; args: string } | undefined {
  const open = text.indexOf('(', after);
  if (open < 0 || /\S/.test(text.slice(after, open))) return undefined;
  const close = matchingParen(text, open);
  if (close < 0) return undefined;
  return { open, close, args: text.slice(open + 1, close) };
}

/**
 * True when a `#` stands before offset `at` on its line: what is at `at` sits in a `#` comment
 * (Python, CMake, TOML, YAML, Makefiles). A `#` inside a string before it counts too, which the
 * build-file readers accept: such lines are rare, and skipping one costs a finding, not a false one.
 */
export function afterHashOnLine(text: string, at: number): boolean {
  return text.slice(text.lastIndexOf('\n', at) + 1, at).includes('#');
}

/** The text with C comments blanked out, so a `TODO: add Py_mod_gil` comment does not count. */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ');
}

/**
 * True for a source built against the limited API: it defines `Py_LIMITED_API` itself, or refuses
 * to build without it (`#ifndef Py_LIMITED_API` followed by `#error`, as NumPy's limited-API test
 * module does, with the macro set by the build).
 */
export function targetsLimitedApi(text: string): boolean {
  return /#\s*define\s+Py_LIMITED_API\b|#\s*ifndef\s+Py_LIMITED_API\s*\n\s*#\s*error/.test(text);
}
