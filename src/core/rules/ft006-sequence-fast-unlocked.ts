import type { Node } from 'web-tree-sitter';
import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { assignedValues, callArguments, callOf, enclosingFunction, isLockHeld, unwrapExpression } from '../parsing/syntax.js';

/**
 * `PySequence_Fast(obj)` returns `obj` itself when it is a list, so the `PySequence_Fast_*`
 * macros then read a list that other threads may be changing. Judge the original `obj`.
 */
function fastCall(fastSeq: Node): Node | undefined {
  const expr = unwrapExpression(fastSeq);
  if (expr.type === 'call_expression') {
    return expr.childForFieldName('function')?.text === 'PySequence_Fast' ? expr : undefined;
  }
  if (expr.type !== 'identifier') return undefined;
  const fn = enclosingFunction(expr);
  if (fn === undefined) return undefined;
  for (const value of assignedValues(fn, expr.text)) {
    const v = unwrapExpression(value);
    if (v.type === 'call_expression' && v.childForFieldName('function')?.text === 'PySequence_Fast') return v;
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: 'FT006',
    name: 'sequence-fast-unlocked',
    title: '`PySequence_Fast` items read without locking a possibly shared list',
    category: 'unlocked-iteration',
    why: 'The items array of a shared list can be reallocated by another thread while this code walks it.',
    targets: ['c', 'cpp'],
    severity: 'warning',
    confidence: 'medium',
    fix: 'never',
    preview: false,
    triggers: ['PySequence_Fast_ITEMS', 'PySequence_Fast_GET_ITEM'],
    messages: {
      unlocked: '`{{api}}` reads the items of `{{source}}` without a lock; when it is a list another thread can resize it',
    },
    help: {
      unlocked: 'Hold `Py_BEGIN_CRITICAL_SECTION({{source}})` while reading the items, or copy it with `PySequence_Tuple` first',
    },
  },
  check(ctx) {
    // One finding per `PySequence_Fast` call, reported there (where NumPy puts its
    // `noqa: borrowed-ref` annotations), however many unlocked reads follow.
    const reported = new Set<number>();
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      const call = callOf(hit.node);
      const seq = call === undefined ? undefined : callArguments(call)[0];
      if (seq === undefined) continue;
      if (isLockHeld(hit.node, ctx.text)) continue;
      const fast = fastCall(seq);
      const source = fast === undefined ? undefined : callArguments(fast)[0];
      if (fast === undefined || source === undefined || reported.has(fast.startIndex)) continue;
      const confidence = confidenceForOrigin(containerOrigin(source, ctx.text));
      if (confidence === undefined || confidence === 'low') continue;
      reported.add(fast.startIndex);
      ctx.report({ node: fast, messageId: 'unlocked', confidence, data: { api: hit.name, source: source.text.slice(0, 60) } });
    }
  },
});
