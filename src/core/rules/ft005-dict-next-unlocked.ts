import { defineRule } from '../engine/define-rule.js';
import { confidenceForOrigin, containerOrigin } from '../parsing/container-origin.js';
import { callArguments, callOf, isLockHeld } from '../parsing/syntax.js';

export default defineRule({
  meta: {
    id: 'FT005',
    name: 'dict-next-unlocked',
    title: 'Dict iterated with `PyDict_Next` outside a critical section',
    category: 'unlocked-iteration',
    why: 'A concurrent insert or delete can resize the dict during the loop and hand out freed keys or values.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['PyDict_Next'],
    messages: {
      unlocked: '`PyDict_Next` iterates `{{dict}}` without locking it, so another thread can resize it mid-loop',
    },
    help: {
      unlocked: 'Wrap the whole loop in `Py_BEGIN_CRITICAL_SECTION({{dict}})` … `Py_END_CRITICAL_SECTION()`',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      if (hit.node === undefined) continue;
      const call = callOf(hit.node);
      const dict = call === undefined ? undefined : callArguments(call)[0];
      if (call === undefined || dict === undefined) continue;
      if (isLockHeld(hit.node, ctx.text)) continue;
      const confidence = call.type === 'call' ? 'medium' : confidenceForOrigin(containerOrigin(dict, ctx.text));
      if (confidence === undefined) continue;
      ctx.report({ node: hit.node, messageId: 'unlocked', confidence, data: { dict: dict.text.slice(0, 60) } });
    }
  },
});
