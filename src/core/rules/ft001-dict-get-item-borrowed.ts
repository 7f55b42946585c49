import { defineRule } from '../engine/define-rule.js';
import { isLockHeld } from '../parsing/syntax.js';
import { judgeBorrowedCall } from './borrowed-call.js';
import { strongReplacements } from './strong-replacements.js';

const borrowedDictApis = ['PyDict_GetItem', 'PyDict_GetItemWithError', 'PyDict_GetItemString', '_PyDict_GetItemStringWithError', 'PyDict_SetDefault'];

export default defineRule({
  meta: {
    id: 'FT001',
    name: 'dict-get-item-borrowed',
    title: 'Borrowed reference from a dict lookup',
    category: 'borrowed-reference',
    why: 'Without the GIL another thread can delete the key and free the value while this code still uses the borrowed pointer.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'warning',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: borrowedDictApis,
    messages: {
      borrowed: '`{{api}}` returns a borrowed reference that another thread can free while `{{container}}` is shared',
    },
    help: {
      borrowed: 'Use `{{replacement}}`, which returns a strong reference, and release it on every path',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      const judged = judgeBorrowedCall(hit, ctx.text, { allowPresenceTest: hit.name !== 'PyDict_SetDefault', cython: ctx.target === 'cython' });
      if (judged === undefined) continue;
      // The item stays alive while a critical section on the dict (or another lock) is held.
      if (judged.node !== undefined && isLockHeld(judged.node, ctx.text)) continue;
      ctx.report({
        start: judged.start,
        end: judged.end,
        messageId: 'borrowed',
        confidence: judged.confidence,
        data: { api: hit.name, container: judged.container, replacement: strongReplacements[hit.name]?.replacement ?? 'PyDict_GetItemRef' },
        ...(judged.node === undefined ? {} : { node: judged.node }),
      });
    }
  },
});
