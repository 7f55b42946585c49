import type { Node } from 'web-tree-sitter';
import type { Confidence } from '../diagnostics.js';
import type { Hit } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin, isPresenceTestOnly } from '../parsing/container-origin.js';
import { callArguments, callOf } from '../parsing/syntax.js';

/**
 * Shared check for the borrowed-reference rules (FT001, FT002, FT007): decides whether one hit is
 * worth reporting, and with what confidence, from the container it reads.
 *
 * Returns undefined for: a name that is not called (a declaration, a function pointer); a presence
 * test whose result is never used as an object; a container created in the same function or the
 * call's own kwargs dict.
 */
// Words that may stand before a call on its line without making it a declaration.
const statementWords = new Set(['return', 'if', 'elif', 'while', 'not', 'and', 'or', 'in', 'is', 'yield', 'await', 'assert', 'else', 'lambda', 'print']);

/**
 * True when a Cython hit declares the API instead of calling it: `cdef object PyList_GET_ITEM(…)`
 * or `PyObject* PyDict_GetItem(object d, object key)` inside a `cdef extern from` block — a type
 * word stands right before the name. `x = python.PyDict_GetItem(d, k)`,
 * `cdef PyObject *x = PyList_GET_ITEM(l, 0)` and `return PyList_GET_ITEM(l, 0)` are calls.
 */
export function isCythonDeclaration(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  const before = text.slice(lineStart, index);
  if (before.includes('=') || before.trimEnd().endsWith('.') || before.trimEnd().endsWith('(') || before.trimEnd().endsWith(',')) return false;
  if (/^\s*(cdef|cpdef|ctypedef)\b/.test(before)) return true;
  const previous = wordBefore(before);
  return previous !== undefined && !statementWords.has(previous);
}

/**
 * The word that ends `line`, past trailing blanks and one run of `*`: `PyObject *` → `PyObject`,
 * `return ` → `return`, `x + ` → undefined. A word starts at its first letter or underscore.
 * A backward scan, linear in the line: the pattern it replaces (`/([A-Za-z_]\w*)\s*\**\s*$/`)
 * retried from every character of a long identifier that ends in another character, quadratic
 * in its length.
 */
export function wordBefore(line: string): string | undefined {
  let i = line.length;
  const blank = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  while (blank(line[i - 1])) i--;
  while (line[i - 1] === '*') i--;
  while (blank(line[i - 1])) i--;
  const end = i;
  while (i > 0 && /\w/.test(line[i - 1] ?? '')) i--;
  while (i < end && /\d/.test(line[i] ?? '')) i++;
  return i < end ? line.slice(i, end) : undefined;
}

export function judgeBorrowedCall(
  hit: Hit,
  text: string,
  options: { allowPresenceTest: boolean; cython: boolean },
): { node: Node | undefined; start: number; end: number; confidence: Confidence; container: string } | undefined {
  // `PyDict_GetItem(d, key)` → `d`, read from the text where tree-sitter gave up.
  const textualCall = (): string | undefined =>
    /^\s*\(\s*([^,()]{1,60})/.exec(text.slice(hit.index + hit.name.length, hit.index + hit.name.length + 80))?.[1]?.trim().replace(/^<\w+\*?>/, '');
  if (hit.context === 'macro') return undefined;
  if (options.cython && isCythonDeclaration(text, hit.index)) return undefined;
  if (hit.node === undefined) {
    // Inside a region tree-sitter could not parse: keep it when the text reads as a call.
    const container = textualCall();
    if (container === undefined) return undefined;
    return { node: undefined, start: hit.index, end: hit.index + hit.name.length, confidence: 'low', container };
  }
  const call = callOf(hit.node);
  if (call === undefined) {
    // tree-sitter-python often gives up on Cython declarations (`cdef PyObject *x = f(l, 0)`) and
    // leaves the callee as a bare identifier inside an ERROR node: judge the text instead.
    const container = insideError(hit.node) ? textualCall() : undefined;
    if (container === undefined) return undefined;
    return { node: hit.node, start: hit.index, end: hit.index + hit.name.length, confidence: 'low', container };
  }
  if (options.allowPresenceTest && isPresenceTestOnly(call)) return undefined;
  const container = callArguments(call)[0];
  if (container === undefined) return undefined;
  // Cython (tree-sitter-python) trees carry no C declarations to classify: medium confidence.
  const confidence = call.type === 'call' ? 'medium' : confidenceForOrigin(containerOrigin(container, text));
  if (confidence === undefined) return undefined;
  return { node: hit.node, start: hit.index, end: hit.index + hit.name.length, confidence, container: container.text.slice(0, 60) };
}

/** True when tree-sitter could not parse the code around `node` (an ERROR node encloses it). */
function insideError(node: Node): boolean {
  for (let a = node.parent; a !== null; a = a.parent) if (a.type === 'ERROR') return true;
  return false;
}
