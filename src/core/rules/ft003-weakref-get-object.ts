import { defineRule } from '../engine/define-rule.js';
import { callOf } from '../parsing/syntax.js';

export default defineRule({
  meta: {
    id: 'FT003',
    name: 'weakref-get-object',
    title: 'Weak reference dereferenced with a removed API',
    category: 'removed-api',
    why: 'The referent can be destroyed by another thread between the lookup and its use; the API is removed in Python 3.15.',
    targets: ['c', 'cpp', 'cython'],
    severity: 'error',
    confidence: 'high',
    fix: 'never',
    preview: false,
    triggers: ['PyWeakref_GetObject', 'PyWeakref_GET_OBJECT'],
    messages: {
      removed: '`{{api}}` returns a borrowed reference to an object another thread can destroy, and is removed in Python 3.15',
    },
    help: {
      removed: 'Use `PyWeakref_GetRef(ref, &obj)`, which returns a strong reference (1 alive, 0 dead, -1 error)',
    },
  },
  check(ctx) {
    for (const hit of ctx.hits) {
      // Removed APIs fail to compile wherever they are expanded, macro bodies included.
      if (hit.node !== undefined && callOf(hit.node) === undefined) continue;
      ctx.report({
        start: hit.index,
        end: hit.index + hit.name.length,
        messageId: 'removed',
        data: { api: hit.name },
        ...(hit.node === undefined ? { confidence: 'medium' as const } : { node: hit.node }),
      });
    }
  },
});
