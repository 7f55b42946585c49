import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { callArguments, callOf, isLockHeld } from '../parsing/syntax.js';

/**
 * The object whose storage a hit reads: the argument of `PyByteArray_AS_STRING(obj)` /
 * `_PyList_ITEMS(obj)`, or `obj` in `((PyListObject *)obj)->ob_item`.
 */
function storageOwner(hit: { name: string; node: Node | undefined }): { owner: Node; at: Node } | undefined {
  const node = hit.node;
  if (node === undefined) return undefined;
  if (hit.name !== 'ob_item') {
    const call = callOf(node);
    const owner = call === undefined ? undefined : callArguments(call)[0];
    return call === undefined || owner === undefined ? undefined : { owner, at: call };
  }
  // `ob_item` counts only through a cast to `PyListObject *`: a tuple's items never change.
  const field = node.parent;
  if (field?.type !== 'field_expression' || field.childForFieldName('field')?.text !== 'ob_item') return undefined;
  const base = field.childForFieldName('argument');
  let cast = base;
  while (cast?.type === 'parenthesized_expression') cast = cast.namedChildren.find((c) => c?.type !== 'comment') ?? null;
  if (cast?.type !== 'cast_expression' || !/\bPyListObject\b/.test(cast.childForFieldName('type')?.text ?? '')) return undefined;
  const owner = cast.childForFieldName('value');
  return owner === null ? undefined : { owner, at: field };
}

export default defineRule({
  meta: {
    id: 'FT046',
    name: 'container-buffer-unlocked',
    title: 'Storage of a possibly shared list or bytearray used without a critical section',
    category: 'unlocked-iteration',
    why: 'Another thread can resize the list or bytearray and free the storage this code is reading.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: true,
    triggers: ['PyByteArray_AS_STRING', 'PyByteArray_AsString', '_PyList_ITEMS', 'ob_item'],
    messages: {
      unlocked: '`{{access}}` uses the storage of `{{source}}` without a lock; another thread can resize it meanwhile',
    },
    help: {
      unlocked: 'Hold `Py_BEGIN_CRITICAL_SECTION({{source}})` while the storage is in use, or work on a copy',
    },
  },
  check(ctx) {
    const reported = new Set<number>();
    for (const hit of ctx.hits) {
      const found = storageOwner(hit);
      if (found === undefined || reported.has(found.at.startIndex)) continue;
      if (isLockHeld(found.at, ctx.text)) continue;
      // Only objects the caller may share: parameters (medium) and fields or globals (high).
      const confidence = confidenceForOrigin(containerOrigin(found.owner, ctx.text));
      if (confidence === undefined || confidence === 'low') continue;
      reported.add(found.at.startIndex);
      const access = hit.name === 'ob_item' ? '->ob_item' : hit.name;
      ctx.report({ node: found.at, messageId: 'unlocked', confidence, data: { access, source: found.owner.text.slice(0, 60) } });
    }
  },
});
