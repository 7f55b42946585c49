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
export function judgeBorrowedCall(
  hit: Hit,
  text: string,
  options: { allowPresenceTest: boolean },
): { node: Node | undefined; start: number; end: number; confidence: Confidence; container: string } | undefined {
  const readsAsCall = (): boolean => /^\s*\(/.test(text.slice(hit.index + hit.name.length, hit.index + hit.name.length + 20));
  if (hit.context === 'macro') return undefined;
  if (hit.node === undefined) {
    // Inside a region tree-sitter could not parse: keep it when the text reads as a call.
    if (!readsAsCall()) return undefined;
    return { node: undefined, start: hit.index, end: hit.index + hit.name.length, confidence: 'low', container: 'the container' };
  }
  const call = callOf(hit.node);
  if (call === undefined) {
    // tree-sitter-python often gives up on Cython declarations (`cdef PyObject *x = f(l, 0)`) and
    // leaves the callee as a bare identifier inside an ERROR node: judge the text instead.
    if (!insideError(hit.node) || !readsAsCall()) return undefined;
    return { node: hit.node, start: hit.index, end: hit.index + hit.name.length, confidence: 'low', container: 'the container' };
  }
  if (options.allowPresenceTest && isPresenceTestOnly(call)) return undefined;
  const container = callArguments(call)[0];
  if (container === undefined) return undefined;
  // Cython (tree-sitter-python) trees carry no C declarations to classify: medium confidence.
  const confidence = call.type === 'call' ? 'medium' : confidenceForOrigin(containerOrigin(container));
  if (confidence === undefined) return undefined;
  return { node: hit.node, start: hit.index, end: hit.index + hit.name.length, confidence, container: container.text.slice(0, 60) };
}

/** True when tree-sitter could not parse the code around `node` (an ERROR node encloses it). */
function insideError(node: Node): boolean {
  for (let a = node.parent; a !== null; a = a.parent) if (a.type === 'ERROR') return true;
  return false;
}
