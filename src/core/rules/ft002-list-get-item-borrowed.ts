import { defineRule } from '../engine/define-rule.js';
import { isLockHeld } from '../parsing/syntax.js';
import { judgeBorrowedCall } from './borrowed-call.js';

export default defineRule({
  meta: {
    id: 'FT002',
    name: 'list-get-item-borrowed',
    title: 'Borrowed reference from a list item',
    category: 'borrowed-reference',
    why: 'Without the GIL another thread can replace or remove the item and free it while this code still uses the borrowed pointer.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['PyList_GetItem', 'PyList_GET_ITEM'],
    messages: {
      borrowed: '`{{api}}` returns a borrowed reference that another thread can free while `{{container}}` is shared',
    },
    help: {
      borrowed: 'Use `PyList_GetItemRef`, which returns a strong reference, or lock the list with a critical section',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      const judged = judgeBorrowedCall(hit, ctx.text, { allowPresenceTest: true, cython: ctx.target === 'cython' });
      if (judged === undefined) continue;
      // A list read inside a critical section on it (or under a lock) is the documented safe pattern.
      if (judged.node !== undefined && isLockHeld(judged.node, ctx.text)) continue;
      ctx.report({
        start: judged.start,
        end: judged.end,
        messageId: 'borrowed',
        confidence: judged.confidence,
        data: { api: hit.name, container: judged.container },
        ...(judged.node === undefined ? {} : { node: judged.node }),
      });
    }
  },
});
